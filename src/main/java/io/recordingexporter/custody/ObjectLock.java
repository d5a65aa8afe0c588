package io.recordingexporter.custody;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Whether objects of legal-hold conversations get an S3 Object Lock legal hold, and the check that the bucket can
 * hold them. With holds on (the default), a bucket without Object Lock enabled stops the service at start-up (fail
 * closed): a hold the bucket silently drops is worse than no export. {@code EXPORTER_S3_OBJECT_LOCK=off} is the
 * explicit opt-out, warned about at every start. When S3 cannot be reached at start-up, the check is made again
 * before the first write.
 */
public class ObjectLock {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectLock.class);

    private final S3Client s3;
    private final String bucket;
    private final boolean holds;
    private volatile boolean checked;

    public ObjectLock(S3Client s3, String bucket, String setting) {
        this.s3 = s3;
        this.bucket = bucket;
        this.holds = switch (setting.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("EXPORTER_S3_OBJECT_LOCK=" + setting + " must be on or off");
        };
    }

    /** Whether legal-hold objects are written with (and later given) an Object Lock legal hold. */
    public boolean holds() {
        return holds;
    }

    /** The start-up check: throws when holds are on and the bucket cannot hold; a warning when they are off. */
    public void preflight() {
        if (!holds) {
            LOG.warn("EXPORTER_S3_OBJECT_LOCK=off: recordings under legal hold are exported WITHOUT an S3 Object Lock "
                    + "legal hold on their objects; anyone allowed to delete objects in {} can delete them", bucket);
            checked = true;
            return;
        }
        try {
            requireHolds();
        } catch (SdkClientException e) {
            LOG.warn("S3 could not be reached to check Object Lock on bucket {}; checked again before the first write: {}",
                    bucket, e.getMessage());
        }
    }

    /** Before a write: the bucket's Object Lock configuration, read once; throws when it cannot hold. */
    public void requireHolds() {
        if (!holds || checked) {
            return;
        }
        GetObjectLockConfigurationResponse configuration;
        try {
            configuration = s3.getObjectLockConfiguration(request -> request.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() >= 500 && e.statusCode() != 501) {
                throw e; // S3 trouble, not an answer about the bucket
            }
            throw refused("it answered " + e.statusCode() + " " + (e.awsErrorDetails() == null ? ""
                    : e.awsErrorDetails().errorCode()) + " to GetObjectLockConfiguration");
        }
        if (configuration.objectLockConfiguration() == null
                || configuration.objectLockConfiguration().objectLockEnabled() != ObjectLockEnabled.ENABLED) {
            throw refused("its Object Lock configuration is not Enabled");
        }
        checked = true;
        LOG.info("Bucket {} has Object Lock enabled: legal-hold recordings get an Object Lock legal hold", bucket);
    }

    private IllegalStateException refused(String why) {
        return new IllegalStateException("Bucket " + bucket + " cannot hold objects under legal hold: " + why + ". "
                + "Use a bucket created with Object Lock enabled (aws s3api create-bucket --bucket <name> "
                + "--object-lock-enabled-for-bucket ..., or enable it on a versioned bucket with "
                + "aws s3api put-object-lock-configuration), or set EXPORTER_S3_OBJECT_LOCK=off to export without "
                + "Object Lock legal holds.");
    }
}
