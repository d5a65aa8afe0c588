package io.recordingexporter.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The least a verified copy of one recording takes: GET the media link (JDK HttpClient), take its SHA-256 on the way
 * (in memory up to 8 MiB, else through a temporary file, as nothing can hold a screen recording in memory), PUT it with
 * {@code x-amz-checksum-sha256} so that S3 verifies it, as the exporter does. No ledger, no audit, no sidecar.
 */
final class MediaCopy {

    private static final long IN_MEMORY = 8 * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final S3Client s3;
    private final String bucket;
    private final Path spool;

    MediaCopy(S3Client s3, String bucket, Path spool) throws IOException {
        this.s3 = s3;
        this.bucket = bucket;
        this.spool = Files.createDirectories(spool);
    }

    /** Copies the media at {@code link} to {@code key}; the bytes copied. */
    long copy(String link, String key) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha256 = sha256();
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + link + " answered " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (length >= 0 && length <= IN_MEMORY) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) length);
                transfer(in, new DigestOutputStream(buffer, sha256));
                byte[] body = buffer.toByteArray();
                put(key, body.length, sha256, RequestBody.fromBytes(body));
                return body.length;
            }
            Path file = Files.createTempFile(spool, "copy", ".part");
            try {
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
                    transfer(in, out);
                }
                long size = Files.size(file);
                put(key, size, sha256, RequestBody.fromFile(file));
                return size;
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private void put(String key, long size, MessageDigest sha256, RequestBody body) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentLength(size)
                .checksumSHA256(Base64.getEncoder().encodeToString(sha256.digest())).build(), body);
    }

    private static void transfer(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            out.write(buffer, 0, read);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
