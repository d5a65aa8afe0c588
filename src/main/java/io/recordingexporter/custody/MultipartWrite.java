package io.recordingexporter.custody;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A large media object written in parts, straight from the spool file: each part is hashed from the file and sent
 * with its own checksum (SHA-256, or MD5 where the server ignores SHA-256), so S3 verifies every part; user metadata,
 * content type and SSE-KMS are set on the upload itself. Memory use does not grow with the object: a part is read
 * from disk twice (hash, then send), never held. A failed upload is aborted, leaving no parts behind.
 */
final class MultipartWrite {

    /** S3 allows at most 10,000 parts. */
    private static final int MAX_PARTS = 10_000;
    private static final int READ_BUFFER = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final long partSize;
    private final ObjectEncryption encryption;

    MultipartWrite(S3Client s3, String bucket, long partSize, ObjectEncryption encryption) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.encryption = encryption;
    }

    /**
     * One media object to upload: {@code checksum} names what the server verifies per part, {@code expectedSha256Hex}
     * what the whole must hash to (computed while the media was fetched), and {@code ifAbsent} completes the upload
     * only if no object is at the key ({@code If-None-Match: *}).
     */
    record Upload(String key, Path file, long size, String contentType, Map<String, String> metadata,
            String checksum, String expectedSha256Hex, boolean legalHold, boolean ifAbsent) {

        boolean sha256() {
            return ServerChecksum.SHA256.equals(checksum);
        }
    }

    /**
     * Uploads the file; returns the version id (null on an unversioned bucket). A spool file that changed since it was
     * fetched is never completed into an object ({@link ChecksumMismatchException}, the upload aborted); with
     * {@code ifAbsent} a 412 aborts it too.
     */
    String upload(Upload upload) throws IOException {
        String uploadId = s3.createMultipartUpload(start(upload)).uploadId();
        try {
            MessageDigest whole = Digests.of("SHA-256");
            List<CompletedPart> parts = uploadParts(upload, uploadId, whole);
            String partsSha256 = Digests.hex(whole.digest());
            if (!partsSha256.equals(upload.expectedSha256Hex())) {
                throw new ChecksumMismatchException("the spool file of " + upload.key() + " hashes to " + partsSha256
                        + ", not to the " + upload.expectedSha256Hex() + " fetched from Genesys");
            }
            CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder().bucket(bucket)
                    .key(upload.key()).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
            if (upload.ifAbsent()) {
                complete.ifNoneMatch("*");
            }
            return s3.completeMultipartUpload(complete.build()).versionId();
        } catch (RuntimeException | IOException e) {
            try {
                s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(upload.key())
                        .uploadId(uploadId).build());
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /** The upload itself carries the metadata, content type, SSE-KMS and hold; its parts carry only bytes. */
    private CreateMultipartUploadRequest start(Upload upload) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket)
                .key(upload.key()).metadata(upload.metadata());
        if (upload.contentType() != null) {
            create.contentType(upload.contentType());
        }
        if (upload.sha256()) {
            create.checksumAlgorithm(ChecksumAlgorithm.SHA256);
        }
        if (upload.legalHold()) {
            create.objectLockLegalHoldStatus(software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus.ON);
        }
        return encryption.applyTo(create).build();
    }

    /** Sends every part with its own checksum; each part's bytes also go into {@code whole}. */
    private List<CompletedPart> uploadParts(Upload upload, String uploadId, MessageDigest whole) throws IOException {
        boolean sha256 = upload.sha256();
        long part = Math.max(partSize, (upload.size() + MAX_PARTS - 1) / MAX_PARTS);
        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (long offset = 0; offset < upload.size(); offset += part, number++) {
            long length = Math.min(part, upload.size() - offset);
            String digest = Digests.base64(digestOf(upload.file(), offset, length, sha256 ? "SHA-256" : "MD5", whole));
            UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(bucket).key(upload.key())
                    .uploadId(uploadId).partNumber(number).contentLength(length);
            if (sha256) {
                request.checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(digest);
            } else {
                request.contentMD5(digest);
            }
            long from = offset;
            UploadPartResponse uploaded = s3.uploadPart(request.build(), RequestBody.fromContentProvider(
                    () -> region(upload.file(), from, length), length, "application/octet-stream"));
            CompletedPart.Builder done = CompletedPart.builder().partNumber(number).eTag(uploaded.eTag());
            if (sha256) {
                done.checksumSHA256(uploaded.checksumSHA256() != null ? uploaded.checksumSHA256() : digest);
            }
            parts.add(done.build());
        }
        return parts;
    }

    /** A stream over {@code length} bytes of the file from {@code offset}; opened anew for each (re)try. */
    private static InputStream region(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
            InputStream whole = Channels.newInputStream(channel);
            return new InputStream() {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = whole.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int read = whole.read(buffer, off, (int) Math.min(len, left));
                    if (read > 0) {
                        left -= read;
                    }
                    return read;
                }

                @Override
                public void close() throws IOException {
                    whole.close();
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The part's own digest; the bytes also go into {@code whole}, the running SHA-256 of the object. */
    private static byte[] digestOf(Path file, long offset, long length, String algorithm, MessageDigest whole)
            throws IOException {
        MessageDigest part = Digests.of(algorithm);
        try (InputStream in = region(file, offset, length)) {
            byte[] buffer = new byte[READ_BUFFER];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                part.update(buffer, 0, read);
                whole.update(buffer, 0, read);
            }
        }
        return part.digest();
    }
}
