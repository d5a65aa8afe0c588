package io.recordingexporter.failures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.custody.CustodyConflictException;
import io.recordingexporter.genesys.MediaDownloadException;
import io.recordingexporter.genesys.MediaLinkRefusedException;
import io.recordingexporter.genesys.MediaNotReadyException;
import io.recordingexporter.resilience.RetryPolicy;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class FailureClassifierTest {

    private static ApiException genesys(int status) {
        return new ApiException(status, "error", Map.of(), "{\"status\":" + status + "}");
    }

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    @Test
    void eachFailureHasItsClass() {
        assertEquals(FailureClass.CONFLICT, FailureClassifier.classify(genesys(409)));
        assertEquals(FailureClass.RATE_LIMITED, FailureClassifier.classify(genesys(429)));
        for (int status : new int[] {400, 403, 404, 410}) {
            assertEquals(FailureClass.PERMANENT, FailureClassifier.classify(genesys(status)), "HTTP " + status);
        }
        for (int status : new int[] {401, 500, 502, 503, 504}) {
            assertEquals(FailureClass.SERVER, FailureClassifier.classify(genesys(status)), "HTTP " + status);
        }
        assertEquals(FailureClass.NOT_READY, FailureClassifier.classify(new MediaNotReadyException("transcoding")));
        assertEquals(FailureClass.NOT_READY, FailureClassifier.classify(new MediaLinkRefusedException(403, "expired")));
        assertEquals(FailureClass.SERVER, FailureClassifier.classify(new MediaDownloadException(500, "media host")));
        assertEquals(FailureClass.SERVER, FailureClassifier.classify(new SocketTimeoutException("read timed out")));
        assertEquals(FailureClass.SERVER, FailureClassifier.classify(new IOException("truncated: 10 of 20 bytes")));
        assertEquals(FailureClass.PERMANENT, FailureClassifier.classify(new CustodyConflictException("other bytes")));
        assertEquals(FailureClass.CHECKSUM, FailureClassifier.classify(s3(400, "BadDigest")));
        assertEquals(FailureClass.S3, FailureClassifier.classify(s3(503, "SlowDown")));
        assertEquals(FailureClass.S3, FailureClassifier.classify(SdkClientException.create("connection refused")));
        assertEquals(FailureClass.CONFLICT, FailureClassifier.classify(new RuntimeException("wrapped", genesys(409))),
                "the cause decides");
        assertEquals(FailureClass.ARCHIVED, FailureClassifier.classify(
                new io.recordingexporter.genesys.RecordingAwaitsRestoreException("RESTORING")));
        assertEquals(FailureClass.ARCHIVED, FailureClassifier.classify(
                new io.recordingexporter.genesys.RecordingArchivedException("r", 3, 10, java.time.Instant.EPOCH)));
        assertEquals(FailureClass.PERMANENT, FailureClassifier.classify(
                new io.recordingexporter.genesys.RecordingGoneException("DELETED")));
        assertTrue(FailureClass.ARCHIVED.retryable() && !FailureClass.ARCHIVED.hasDeadline(),
                "an archived recording waits for its restore with no deadline");
        assertTrue(FailureClass.NOT_READY.hasDeadline());
        assertFalse(FailureClass.PERMANENT.retryable());
        assertTrue(FailureClass.CONFLICT.retryable());
        assertEquals("rate-limited", FailureClass.RATE_LIMITED.key());
    }

    @Test
    void fullJitterDrawsBelowAGrowingCeilingAndStopsAtTheDeadline() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertEquals(1_000, policy.ceilingMillis(1));
        assertEquals(8_000, policy.ceilingMillis(4));
        assertEquals(60_000, policy.ceilingMillis(10), "capped");
        assertEquals(60_000, policy.ceilingMillis(200), "no overflow");
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        SplittableRandom random = new SplittableRandom(42);
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        for (int i = 0; i < 2_000; i++) {
            Instant next = policy.nextAttempt(6, now, now.plusSeconds(3600), bound -> random.nextLong(bound + 1));
            long waited = Duration.between(now, next).toMillis();
            lowest = Math.min(lowest, waited);
            highest = Math.max(highest, waited);
        }
        assertTrue(lowest < 3_200 && highest > 28_800 && highest <= 32_000,
                "spread over [0, 32 s], not ±15 %: " + lowest + ".." + highest + " ms");
        assertNull(policy.nextAttempt(10, now, now.plusSeconds(30), bound -> bound), "past the deadline: give up");
    }

    @Test
    void aConflictWaitsAtLeastHalfItsCeiling() {
        RetryPolicy conflict = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60)).withEqualJitter();
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        SplittableRandom random = new SplittableRandom(7);
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        for (int i = 0; i < 2_000; i++) {
            long waited = Duration.between(now, conflict.nextAttempt(6, now, now.plusSeconds(3600),
                    bound -> random.nextLong(bound + 1))).toMillis();
            lowest = Math.min(lowest, waited);
            highest = Math.max(highest, waited);
        }
        assertTrue(lowest >= 16_000 && lowest < 17_000 && highest > 31_000 && highest <= 32_000,
                "spread over [16 s, 32 s]: " + lowest + ".." + highest + " ms");
        assertEquals(FailureClass.CONFLICT, FailureClassifier.classify(
                new io.recordingexporter.genesys.RecordingStillLockedException("r-1")), "unchanged after a 409: still a conflict");
    }
}
