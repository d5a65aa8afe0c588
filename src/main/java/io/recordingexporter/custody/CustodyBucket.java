package io.recordingexporter.custody;

import io.recordingexporter.resilience.CircuitBreaker;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bucket that custody writes into, with what its server verifies and honours (probed once) and the rules every
 * write follows there: the checksum the server checks, SSE-KMS as configured, Object Lock, and the S3 circuit breaker.
 * Shared by the media writer and the sidecar writer so that both write by the same rules.
 */
public record CustodyBucket(S3Client s3, String name, S3KeyLayout layout, ServerChecksum serverChecksum,
        ConditionalWrites conditionalWrites, ObjectEncryption encryption, ObjectLock objectLock,
        CircuitBreaker breaker) {

    private static final int NOT_FOUND = 404;

    /** An S3 call that may fail on the way. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Runs writes through the breaker: refused at once while it is open; S3 out of reach counts against it, while a
     * refused checksum or another 4xx says nothing about S3 being down.
     */
    <T> T guarded(Call<T> call) throws IOException {
        breaker.check();
        try {
            T result = call.run();
            breaker.succeeded();
            return result;
        } catch (SdkClientException e) {
            breaker.failed();
            throw e;
        }
    }

    /** The object now at the key; empty when there is none. */
    Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(HeadObjectRequest.builder().bucket(name).key(key).build()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The request with SSE-KMS as configured and the checksum of its body that this server verifies: SHA-256 where it
     * checks {@code x-amz-checksum-sha256}, otherwise MD5.
     */
    PutObjectRequest.Builder verified(PutObjectRequest.Builder request, String checksum, String sha256Base64,
            String md5Base64) {
        encryption.applyTo(request);
        return ServerChecksum.SHA256.equals(checksum) ? request.checksumSHA256(sha256Base64)
                : request.contentMD5(md5Base64);
    }
}
