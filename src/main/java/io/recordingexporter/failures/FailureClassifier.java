package io.recordingexporter.failures;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.custody.ChecksumMismatchException;
import io.recordingexporter.custody.CustodyConflictException;
import io.recordingexporter.genesys.MediaDownloadException;
import io.recordingexporter.genesys.MediaLinkFailedException;
import io.recordingexporter.genesys.MediaLinkRefusedException;
import io.recordingexporter.genesys.MediaNotReadyException;
import io.recordingexporter.genesys.MediaRefusedException;
import io.recordingexporter.genesys.RecordingArchivedException;
import io.recordingexporter.genesys.RecordingAwaitsRestoreException;
import io.recordingexporter.genesys.RecordingGoneException;
import io.recordingexporter.genesys.RecordingStillLockedException;
import io.recordingexporter.genesys.SpoolFullException;
import io.recordingexporter.resilience.CircuitBreaker;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The one place that decides the failure class of an exception, looking through its causes. */
public final class FailureClassifier {

    private static final Set<Integer> PERMANENT_STATUSES = Set.of(400, 403, 404, 410);
    private static final Set<String> CHECKSUM_CODES = Set.of("BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch");

    private FailureClassifier() {}

    public static FailureClass classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            FailureClass decided = decide(cause);
            if (decided != null) {
                return decided;
            }
        }
        return FailureClass.SERVER;
    }

    private static FailureClass decide(Throwable cause) {
        if (cause instanceof MediaRefusedException refused) {
            return switch (refused.reason()) {
                case HOST -> FailureClass.MEDIA_REFUSED;
                case TOO_LARGE -> FailureClass.MEDIA_TOO_LARGE;
                case STALLED -> FailureClass.MEDIA_STALLED;
            };
        }
        if (cause instanceof SpoolFullException) {
            return FailureClass.SPOOL_FULL;
        }
        if (cause instanceof RecordingAwaitsRestoreException || cause instanceof RecordingArchivedException) {
            return FailureClass.ARCHIVED;
        }
        if (cause instanceof RecordingGoneException) {
            return FailureClass.PERMANENT;
        }
        if (cause instanceof MediaNotReadyException || cause instanceof MediaLinkRefusedException) {
            return FailureClass.NOT_READY;
        }
        if (cause instanceof CircuitBreaker.DependencyDownException down) {
            return down.dependency().equals("s3") ? FailureClass.S3 : FailureClass.SERVER;
        }
        if (cause instanceof RecordingStillLockedException) {
            return FailureClass.CONFLICT;
        }
        if (cause instanceof ChecksumMismatchException) {
            return FailureClass.CHECKSUM;
        }
        if (cause instanceof CustodyConflictException) {
            return FailureClass.PERMANENT;
        }
        if (cause instanceof ApiException api) {
            return byStatus(api.getStatusCode());
        }
        if (cause instanceof MediaLinkFailedException) {
            return null; // its cause decides
        }
        if (cause instanceof MediaDownloadException download) {
            return download.getStatusCode() == 429 ? FailureClass.RATE_LIMITED : FailureClass.SERVER;
        }
        if (cause instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            return code != null && CHECKSUM_CODES.contains(code) ? FailureClass.CHECKSUM : FailureClass.S3;
        }
        if (cause instanceof SdkException) {
            return FailureClass.S3;
        }
        return null;
    }

    static FailureClass byStatus(int status) {
        if (status == 409) {
            return FailureClass.CONFLICT;
        }
        if (status == 429) {
            return FailureClass.RATE_LIMITED;
        }
        if (PERMANENT_STATUSES.contains(status)) {
            return FailureClass.PERMANENT;
        }
        // 401 after a renewed token, 5xx, 0 (no reply): the service or the credentials, not the recording
        return FailureClass.SERVER;
    }
}
