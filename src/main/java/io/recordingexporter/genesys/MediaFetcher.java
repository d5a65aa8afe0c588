package io.recordingexporter.genesys;

import io.recordingexporter.domain.FetchedRecording;
import io.recordingexporter.domain.MediaFileTypes;
import io.recordingexporter.domain.MediaLink;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.SpooledMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one recording's media from the link its lane's batch download gave (no API call), or, for a recording a
 * batch could not serve, from the per-recording call. The link is untrusted: the {@link MediaDownloader} fetches only
 * from allowed hosts, within the lane's deadline, idle timeout and byte cap. The bytes are streamed to a spool file of
 * this attempt's own while SHA-256 is computed (and MD5, only for an S3 server that verifies no SHA-256), so a
 * recording is never held in memory whatever its size, and
 * only when the spool's disk keeps {@code minFreeBytes} free after it (the ledger and the audit trail share that disk).
 * A download shorter than the length the server announced is an error, never a stored object.
 */
public class MediaFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFetcher.class);
    /** What an object store answers for a pre-signed link that expired or was revoked. */
    private static final java.util.Set<Integer> LINK_REFUSED = java.util.Set.of(401, 403, 404, 410);

    private final GenesysRecordings genesys;
    private final MediaDownloader downloader;
    private final Path spoolDir;
    private final Map<String, MediaDownloader.Limits> limitsByLane;
    private final long minFreeBytes;
    private final Clock clock;
    private final java.util.function.BooleanSupplier md5Needed;
    private final ArchivedRecordings archived;

    /**
     * @param spoolDir this node's own spool folder: whatever is in it at start was left by attempts that died with the
     *     process (nothing else uses it), and is deleted
     * @param md5Needed whether the write may send {@code Content-MD5} (an S3 server not known to verify SHA-256):
     *     otherwise the MD5 pass over every byte is skipped
     * @param archived what to do with a recording Genesys holds in its archive
     */
    public MediaFetcher(GenesysRecordings genesys, MediaDownloader downloader, Path spoolDir,
            Map<String, MediaDownloader.Limits> limitsByLane, long minFreeBytes, Clock clock,
            java.util.function.BooleanSupplier md5Needed, ArchivedRecordings archived) throws IOException {
        this.md5Needed = md5Needed;
        this.archived = archived;
        this.genesys = genesys;
        this.downloader = downloader;
        this.spoolDir = Files.createDirectories(spoolDir);
        this.limitsByLane = Map.copyOf(limitsByLane);
        this.minFreeBytes = minFreeBytes;
        this.clock = clock;
        sweep(this.spoolDir);
    }

    public FetchedRecording fetch(RecordingItem item) throws Exception {
        MediaLink link = item.mediaLink();
        if (link != null && link.usableAt(clock.instant())) {
            try {
                return new FetchedRecording(item, download(item, URI.create(link.url())), null);
            } catch (MediaDownloadException e) {
                if (LINK_REFUSED.contains(e.getStatusCode())) {
                    throw new MediaLinkRefusedException(e.getStatusCode(), e.getMessage());
                }
                throw new MediaLinkFailedException(e);
            } catch (SpoolFullException e) {
                throw e;
            } catch (IOException e) {
                // unreachable host, dropped connection: once the attempt is given up, a fresh link is asked for
                throw new MediaLinkFailedException(e);
            }
        }
        // an archived or restoring recording is for the recording's own state to tell (it names the allowance), never
        // a "not ready" that would run out its deadline
        if (link != null && link.unavailable() != null && BatchDownloads.notReadyYet(link.unavailable())
                && !BatchDownloads.archived(link.unavailable())) {
            throw new MediaNotReadyException("recording " + item.recordingId() + ": " + link.unavailable());
        }
        URI mediaUri;
        try {
            mediaUri = genesys.mediaUriOf(item.conversationId(), item.recordingId(), item.media());
        } catch (RecordingArchivedException e) {
            throw archived.restoreOrWait(item, e);
        }
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
        MediaDownloader.Limits limits = limitsByLane.get(item.lane());
        if (limits == null) {
            throw new IllegalStateException("no download limits for lane " + item.lane());
        }
        Path spool = spoolFile(item);
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = md5Needed.getAsBoolean() ? digest("MD5") : null;
        MediaDownloader.Downloaded downloaded;
        OutputStream hashed = new DigestOutputStream(new SpaceCheckedOutput(spool), sha256);
        // media links are pre-signed: they carry their own authorisation and never get our Genesys token
        try (OutputStream out = md5 == null ? hashed : new DigestOutputStream(hashed, md5)) {
            downloaded = downloader.download(mediaUri, limits, announced -> requireSpace(announced, 0), out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
        byte[] sha = sha256.digest();
        return new SpooledMedia(spool, downloaded.bytes(), HexFormat.of().formatHex(sha),
                Base64.getEncoder().encodeToString(sha), md5 == null ? null : Base64.getEncoder().encodeToString(md5.digest()),
                downloaded.contentType(), MediaFileTypes.extensionFor(downloaded.contentType(), item.media()),
                downloaded.host(), clock.instant());
    }

    /**
     * Refuses to spool when the disk would keep less than {@code minFreeBytes} after {@code more} bytes (the announced
     * length before the first byte; what is still to come is unknown without one, so the check repeats as it grows).
     */
    private void requireSpace(long more, long written) throws SpoolFullException {
        try {
            long usable = Files.getFileStore(spoolDir).getUsableSpace();
            if (usable - Math.max(0, more) < minFreeBytes) {
                throw new SpoolFullException("the spool's disk has " + usable / (1024 * 1024) + " MiB free; "
                        + (more > 0 ? "a download of " + more / (1024 * 1024) + " MiB " : "")
                        + "would leave less than EXPORTER_SPOOL_MIN_FREE_MIB (" + minFreeBytes / (1024 * 1024)
                        + ") after " + written + " bytes");
            }
        } catch (SpoolFullException e) {
            throw e;
        } catch (IOException e) {
            throw new SpoolFullException("the free space of the spool's disk cannot be read: " + e.getMessage());
        }
    }

    /** The spool file, with the free space looked at again every 64 MiB written. */
    private final class SpaceCheckedOutput extends java.io.FilterOutputStream {

        private static final long CHECK_EVERY = 64L * 1024 * 1024;
        private long written;
        private long checkedAt;

        SpaceCheckedOutput(Path file) throws IOException {
            super(Files.newOutputStream(file));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            written += length;
            if (written - checkedAt >= CHECK_EVERY) {
                checkedAt = written;
                requireSpace(0, written);
            }
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
