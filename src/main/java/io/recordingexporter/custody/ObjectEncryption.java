package io.recordingexporter.custody;

import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * SSE-KMS for every object the exporter writes (media, sidecars, audit digests) when a KMS key is configured
 * ({@code EXPORTER_S3_KMS_KEY_ID}); otherwise the bucket's default encryption applies.
 */
public record ObjectEncryption(String kmsKeyId, boolean bucketKey) {

    public boolean kms() {
        return kmsKeyId != null && !kmsKeyId.isBlank();
    }

    public PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
        if (kms()) {
            request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
            if (bucketKey) {
                request.bucketKeyEnabled(true);
            }
        }
        return request;
    }

    public CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
        if (kms()) {
            request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
            if (bucketKey) {
                request.bucketKeyEnabled(true);
            }
        }
        return request;
    }
}
