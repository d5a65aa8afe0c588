package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.model.BatchDownloadJobResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadRequest;
import io.recordingexporter.domain.MediaLink;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.ledger.RecordingQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a lane's claimed recordings usable media links: those without one (never served, expired, refused, not ready
 * before) are asked for in one batch download per lane batch; the others keep the link they have and are exported
 * at once, without waiting for that batch job. What the batch
 * said is kept in the ledger. Recordings a batch could not serve for a reason other than "not ready" are left to the
 * per-recording fallback of the fetch.
 */
public class MediaLinks {

    private static final Logger LOG = LoggerFactory.getLogger(MediaLinks.class);

    private final BatchDownloads batchDownloads;
    private final RecordingQueue ledger;
    private final Clock clock;

    public MediaLinks(BatchDownloads batchDownloads, RecordingQueue ledger, Clock clock) {
        this.batchDownloads = batchDownloads;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * The claimed recordings that can be exported without a batch download: a usable link, or a reason the batch gave
     * for not serving them that the per-recording fallback handles. They need not wait for the others' batch job.
     */
    public List<RecordingItem> readyNow(List<RecordingItem> claimed) {
        List<RecordingItem> needing = needingBatch(claimed);
        return claimed.stream().filter(item -> !needing.contains(item)).toList();
    }

    /** The claimed recordings that need a batch download for a link. */
    public List<RecordingItem> needingBatch(List<RecordingItem> claimed) {
        Instant now = clock.instant();
        return claimed.stream().filter(item -> needsBatch(item, now)).toList();
    }

    /**
     * Asks one batch download (per 100) for the claimed recordings that need a link, and returns those recordings
     * with what the batch said; the ledger keeps it.
     */
    public List<RecordingItem> refresh(List<RecordingItem> claimed) {
        List<RecordingItem> needing = needingBatch(claimed);
        if (needing.isEmpty()) {
            return List.of();
        }
        Map<String, RecordingItem> refreshed = new HashMap<>();
        for (int from = 0; from < needing.size(); from += BatchDownloads.MAX_REQUESTS) {
            List<RecordingItem> chunk = needing.subList(from, Math.min(needing.size(), from + BatchDownloads.MAX_REQUESTS));
            List<BatchDownloadRequest> requests = new ArrayList<>();
            chunk.forEach(item -> requests.add(BatchDownloads.oneRecording(item.conversationId(), item.recordingId())));
            try {
                BatchDownloads.Batch batch = batchDownloads.download(requests);
                Map<String, BatchDownloadJobResult> byRecording = new HashMap<>();
                for (BatchDownloadJobResult result : batch.results()) {
                    if (result.getRecordingId() != null) {
                        byRecording.put(result.getRecordingId(), result);
                    }
                }
                for (RecordingItem item : chunk) {
                    BatchDownloadJobResult result = byRecording.get(item.recordingId());
                    String knownType = item.mediaLink() == null ? null : item.mediaLink().contentType();
                    MediaLink link;
                    if (result == null) {
                        link = MediaLink.notServed(knownType, "the batch download returned nothing for it");
                    } else if (result.getResultUrl() != null && result.getErrorMsg() == null) {
                        link = MediaLink.served(result.getResultUrl(), batch.reuseUntil(), result.getContentType());
                    } else {
                        link = MediaLink.notServed(result.getContentType() == null ? knownType : result.getContentType(),
                                result.getErrorMsg() == null ? "the batch gave no link" : result.getErrorMsg());
                    }
                    refreshed.put(item.recordingId(), item.withMediaLink(link));
                }
            } catch (Exception e) {
                // the whole batch failed (Genesys down, budget paused too long): nobody falls back to one call each
                LOG.warn("Batch download of {} recordings failed, they are tried again later: {}", chunk.size(), e.getMessage());
                for (RecordingItem item : chunk) {
                    String knownType = item.mediaLink() == null ? null : item.mediaLink().contentType();
                    refreshed.put(item.recordingId(), item.withMediaLink(MediaLink.notServed(knownType,
                            "batch download failed, try again later: " + e.getMessage())));
                }
            }
        }
        List<RecordingItem> updated = new ArrayList<>(refreshed.values());
        ledger.recordMediaLinks(updated);
        return needing.stream().map(item -> refreshed.getOrDefault(item.recordingId(), item)).toList();
    }

    /** No usable link, and not a recording the batch already declined for good (that one goes to the fallback). */
    private static boolean needsBatch(RecordingItem item, Instant now) {
        MediaLink link = item.mediaLink();
        if (link == null) {
            return true;
        }
        if (link.usableAt(now)) {
            return false;
        }
        return link.unavailable() == null || BatchDownloads.notReadyYet(link.unavailable());
    }
}
