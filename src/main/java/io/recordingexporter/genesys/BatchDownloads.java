package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobStatusResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Genesys's batch download: one request for up to 100 recordings (or whole conversations), then the job is polled with
 * a growing pause ({@link GenesysJobWait}) until {@code resultCount == expectedResultCount}. Each result carries a pre-signed {@code resultUrl}
 * or an {@code errorMsg}; the links are valid for {@code linkLifetime}, and are reused only until {@code reuseMargin}
 * before that.
 */
public class BatchDownloads {

    /** Genesys accepts at most this many requests in one batch. */
    public static final int MAX_REQUESTS = 100;

    private final GenesysRecordings genesys;
    private final GenesysJobWait jobWait;
    private final Duration linkLifetime;
    private final Duration reuseMargin;
    private final Clock clock;

    public BatchDownloads(GenesysRecordings genesys, GenesysJobWait jobWait, Duration linkLifetime,
            Duration reuseMargin, Clock clock) {
        this.genesys = genesys;
        this.jobWait = jobWait;
        this.linkLifetime = linkLifetime;
        this.reuseMargin = reuseMargin;
        this.clock = clock;
    }

    /** The same batch downloads, made through {@code client} (the lanes' view of the rate budget). */
    public BatchDownloads through(GenesysRecordings client) {
        return new BatchDownloads(client, jobWait, linkLifetime, reuseMargin, clock);
    }

    /** Results of one batch, when its links were issued, and until when they may be reused. */
    public record Batch(List<BatchDownloadJobResult> results, Instant reuseUntil) {}

    public Batch download(List<BatchDownloadRequest> requests) throws IOException, ApiException {
        return await(submit(requests));
    }

    /** A batch download Genesys is working on: its job, and until when its links may be reused. */
    public record Submitted(String jobId, Instant reuseUntil) {}

    /** Submits a batch download; its results are read with {@link #await}, so other work can go on meanwhile. */
    public Submitted submit(List<BatchDownloadRequest> requests) throws IOException, ApiException {
        if (requests.isEmpty() || requests.size() > MAX_REQUESTS) {
            throw new IllegalArgumentException("a batch download holds 1 to " + MAX_REQUESTS + " requests, not "
                    + requests.size());
        }
        String jobId = genesys.submitBatchDownload(requests);
        // links are counted from submission: Genesys may have issued them as soon as the job started
        return new Submitted(jobId, clock.instant().plus(linkLifetime).minus(reuseMargin));
    }

    /** Waits for a submitted batch download's results (polled with a growing pause). */
    public Batch await(Submitted submitted) throws IOException, ApiException {
        String jobId = submitted.jobId();
        List<BatchDownloadJobResult> results = jobWait.until("batch download " + jobId, () -> {
            BatchDownloadJobStatusResult status = genesys.batchDownloadStatus(jobId);
            int expected = status.getExpectedResultCount() == null ? -1 : status.getExpectedResultCount();
            int done = status.getResultCount() == null ? 0 : status.getResultCount();
            if (expected < 0 || done < expected) {
                return Optional.empty();
            }
            return Optional.of(status.getResults() == null ? List.of() : List.copyOf(status.getResults()));
        });
        return new Batch(results, submitted.reuseUntil());
    }

    /** An {@code errorMsg} that means "ask again later" rather than "this batch cannot serve it". */
    public static boolean notReadyYet(String errorMsg) {
        if (errorMsg == null) {
            return false;
        }
        String text = errorMsg.toLowerCase(Locale.ROOT);
        return text.contains("transcod") || text.contains("not ready") || text.contains("in progress")
                || text.contains("uploading") || text.contains("restoring") || text.contains("try again");
    }

    /** An {@code errorMsg} about an archived recording or its restore. */
    public static boolean archived(String errorMsg) {
        String text = errorMsg == null ? "" : errorMsg.toLowerCase(Locale.ROOT);
        return text.contains("archiv") || text.contains("restor");
    }

    public static BatchDownloadRequest wholeConversation(String conversationId) {
        BatchDownloadRequest request = new BatchDownloadRequest();
        request.setConversationId(conversationId);
        return request;
    }

    public static BatchDownloadRequest oneRecording(String conversationId, String recordingId) {
        BatchDownloadRequest request = wholeConversation(conversationId);
        request.setRecordingId(recordingId);
        return request;
    }
}
