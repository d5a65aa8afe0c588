package io.recordingexporter.bench;

import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.api.RecordingApi;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobStatusResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobSubmission;
import com.mypurecloud.sdk.v2.model.BatchDownloadRequest;
import io.recordingexporter.sandbox.GenesysSimulator;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What most scripts do, in the shape of Genesys's recordings downloader tutorial: for each conversation, one batch
 * download request through the SDK, polled every second until every result is in, then each result's link copied to
 * S3 ({@link MediaCopy}, the same verified write as the baseline). The SDK retries 429 after its {@code Retry-After},
 * as a script would configure it; {@code threads} conversations at a time.
 */
final class TutorialStyleExport {

    private static final long POLL_MILLIS = 1000;

    private TutorialStyleExport() {}

    static CopyRun run(GenesysSimulator genesys, List<SimulatedOrg.Conversation> conversations, MediaCopy copy,
            int threads) throws Exception {
        ApiClient.RetryConfiguration retry = new ApiClient.RetryConfiguration();
        retry.setMaxRetryTimeSec(300);
        retry.setRetryMax(50);
        retry.setRetryAfterDefaultMs(1000);
        ApiClient client = ApiClient.Builder.standard().withBasePath(genesys.baseUrl())
                .withAccessToken(genesys.issueToken()).withShouldRefreshAccessToken(false)
                .withRetryConfiguration(retry).build();
        RecordingApi recordings = new RecordingApi(client);
        long callsBefore = genesys.apiCalls();
        long http429Before = genesys.http429();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> exports = new java.util.ArrayList<>();
            for (SimulatedOrg.Conversation conversation : conversations) {
                exports.add(workers.submit(() -> {
                    try {
                        for (BatchDownloadJobResult result : downloadJob(recordings, conversation.id())) {
                            if (result.getResultUrl() == null) {
                                failed.incrementAndGet();
                                continue;
                            }
                            bytes.addAndGet(copy.copy(result.getResultUrl(),
                                    "tutorial/" + conversation.id() + "/" + result.getRecordingId()));
                            stored.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.addAndGet(conversation.recordings().size());
                    }
                }));
            }
            for (Future<?> one : exports) {
                one.get();
            }
        } finally {
            workers.shutdown();
            workers.awaitTermination(1, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new CopyRun("tutorial-style", stored.get(), bytes.get(), seconds, genesys.apiCalls() - callsBefore,
                genesys.http429() - http429Before, failed.get());
    }

    private static List<BatchDownloadJobResult> downloadJob(RecordingApi recordings, String conversationId)
            throws Exception {
        BatchDownloadRequest request = new BatchDownloadRequest();
        request.setConversationId(conversationId);
        BatchDownloadJobSubmission submission = new BatchDownloadJobSubmission();
        submission.setBatchDownloadRequestList(List.of(request));
        String jobId = recordings.postRecordingBatchrequests(submission).getId();
        while (true) {
            Thread.sleep(POLL_MILLIS);
            BatchDownloadJobStatusResult status = recordings.getRecordingBatchrequest(jobId);
            if (status.getExpectedResultCount() != null && status.getExpectedResultCount().equals(status.getResultCount())) {
                return status.getResults() == null ? List.of() : status.getResults();
            }
        }
    }
}
