package io.recordingexporter.custody;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Whether the S3 server honours {@code If-None-Match: *} on PUT and CompleteMultipartUpload (AWS S3 does since 2024;
 * some compatible servers accept the header and ignore it). Where it is honoured, a media object is written only if
 * no object is at its key, so two writers can never leave two versions (with Object Lock every version is kept
 * forever); where it is not, the writer looks (HEAD) before it writes. Probed once, on first use, by writing a tiny
 * object twice under the condition: the second must be refused with 412. The probe removes the versions it wrote.
 */
public class ConditionalWrites {

    static final int PRECONDITION_FAILED = 412;

    private final S3Client s3;
    private final String bucket;
    private final String probePrefix;
    private final ProbedOnce<Boolean> honoured = new ProbedOnce<>(this::probe);

    public ConditionalWrites(S3Client s3, String bucket, String keyPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.probePrefix = ServerChecksum.probePrefix(keyPrefix);
    }

    /** Whether {@code If-None-Match: *} is honoured; probed on first use (S3 may be down at start-up). */
    public boolean honoured() {
        return honoured.get();
    }

    private boolean probe() {
        String key = probePrefix + "conditional-" + UUID.randomUUID();
        List<String> versions = new ArrayList<>();
        try {
            versions.add(put(key));
            try {
                versions.add(put(key));
                return false; // a second version at the key: the condition was ignored
            } catch (S3Exception e) {
                if (e.statusCode() == PRECONDITION_FAILED) {
                    return true;
                }
                throw e; // anything else says nothing about the condition: asked again on the next write
            }
        } finally {
            versions.forEach(version -> ServerChecksum.deleteQuietly(s3, bucket, key, version));
        }
    }

    private String put(String key) {
        return s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).ifNoneMatch("*").build(),
                RequestBody.fromString("conditional write probe", StandardCharsets.UTF_8)).versionId();
    }
}
