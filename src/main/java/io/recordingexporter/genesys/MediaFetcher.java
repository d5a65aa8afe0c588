package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.custody.FetchedRecording;
import io.recordingexporter.custody.MediaFileTypes;
import io.recordingexporter.custody.SpooledMedia;
import io.recordingexporter.ledger.MediaLink;
import io.recordingexporter.ledger.RecordingItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Fetches one recording's media from the link its lane's batch download gave (no API call), or, for a recording a
 * batch could not serve, from the per-recording call; the bytes are streamed to a spool file while SHA-256 and MD5 are
 * computed, so a recording is never held in memory whatever its size. A download shorter than the length the server
 * announced is an error, never a stored object.
 */
public class MediaFetcher {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MediaFetcher.class);
    /** What an object store answers for a pre-signed link that expired or was revoked. */
    private static final java.util.Set<Integer> LINK_REFUSED = java.util.Set.of(401, 403, 404, 410);

    private final GenesysRecordings genesys;
    private final Path spoolDir;
    private final Map<String, Duration> downloadTimeoutByLane;
    private final Duration defaultTimeout;
    private final Clock clock;
    private final HttpClient http;

    /**
     * @param spoolDir this node's own spool folder: whatever is in it at start was left by attempts that died with the
     *     process (nothing else uses it), and is deleted
     */
    public MediaFetcher(GenesysRecordings genesys, Path spoolDir, Map<String, Duration> downloadTimeoutByLane,
            Duration connectTimeout, Clock clock) throws IOException {
        this.genesys = genesys;
        this.spoolDir = Files.createDirectories(spoolDir);
        sweep(this.spoolDir);
        this.downloadTimeoutByLane = Map.copyOf(downloadTimeoutByLane);
        this.defaultTimeout = downloadTimeoutByLane.values().stream().max(Duration::compareTo).orElse(Duration.ofMinutes(5));
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public FetchedRecording fetch(RecordingItem item) throws IOException, ApiException {
        MediaLink link = item.mediaLink();
        if (link != null && link.usableAt(clock.instant())) {
            try {
                return new FetchedRecording(item, download(item, URI.create(link.url())), null);
            } catch (MediaDownloadException e) {
                if (LINK_REFUSED.contains(e.getStatusCode())) {
                    throw new MediaLinkRefusedException(e.getStatusCode(), e.getMessage());
                }
                throw new MediaLinkFailedException(e);
            } catch (IOException e) {
                // unreachable host, dropped connection: once the attempt is given up, a fresh link is asked for
                throw new MediaLinkFailedException(e);
            }
        }
        if (link != null && link.unavailable() != null && BatchDownloads.notReadyYet(link.unavailable())) {
            throw new MediaNotReadyException("recording " + item.recordingId() + ": " + link.unavailable());
        }
        URI mediaUri = genesys.mediaUriOf(item.conversationId(), item.recordingId(), item.media());
        return new FetchedRecording(item, download(item, mediaUri), null);
    }

    /** Deletes what a given-up attempt left in the spool. */
    public void discardSpool(RecordingItem item) throws IOException {
        Files.deleteIfExists(spoolFile(item));
    }

    /**
     * Each attempt spools to a file of its own, named by the recording and the claim: two claims on one recording (a
     * lease lost and taken over) never share a file.
     */
    Path spoolFile(RecordingItem item) {
        return spoolDir.resolve(item.recordingId() + "-" + (item.claimToken() == null ? "unclaimed" : item.claimToken())
                + ".part");
    }

    private static void sweep(Path dir) throws IOException {
        int swept = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path orphan : files.filter(Files::isRegularFile).toList()) {
                Files.deleteIfExists(orphan);
                swept++;
            }
        }
        if (swept > 0) {
            LOG.info("Deleted {} spool files left by attempts that stopped with the process", swept);
        }
    }

    SpooledMedia download(RecordingItem item, URI mediaUri) throws IOException {
        Duration timeout = downloadTimeoutByLane.getOrDefault(item.lane(), defaultTimeout);
        // media links are pre-signed: they carry their own authorisation and must not get our Genesys token
        HttpRequest request = HttpRequest.newBuilder(mediaUri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading recording " + item.recordingId(), e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new MediaDownloadException(response.statusCode(),
                    "media of recording " + item.recordingId() + " answered HTTP " + response.statusCode());
        }
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        OptionalLong announced = response.headers().firstValueAsLong("Content-Length");
        Path spool = spoolFile(item);
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        long size = 0;
        try (InputStream in = new DigestInputStream(new DigestInputStream(response.body(), sha256), md5);
             OutputStream out = Files.newOutputStream(spool)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                size += read;
            }
        } catch (IOException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
        if (announced.isPresent() && announced.getAsLong() != size) {
            Files.deleteIfExists(spool);
            throw new IOException("media of recording " + item.recordingId() + " was truncated: " + size + " of "
                    + announced.getAsLong() + " bytes");
        }
        byte[] sha = sha256.digest();
        return new SpooledMedia(spool, size, HexFormat.of().formatHex(sha), Base64.getEncoder().encodeToString(sha),
                Base64.getEncoder().encodeToString(md5.digest()), contentType,
                MediaFileTypes.extensionFor(contentType, item.media()), mediaUri.getHost(), clock.instant());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
