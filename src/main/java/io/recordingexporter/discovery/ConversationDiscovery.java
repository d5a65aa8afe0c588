package io.recordingexporter.discovery;

import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.model.AnalyticsConversation;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationAsyncQueryResponse;
import com.mypurecloud.sdk.v2.model.AnalyticsParticipant;
import com.mypurecloud.sdk.v2.model.AsyncConversationQuery;
import com.mypurecloud.sdk.v2.model.AsyncQueryStatus;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.genesys.GenesysJobWait;
import io.recordingexporter.domain.LegalHoldAttribute;
import io.recordingexporter.intake.ConversationWork;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the recorded conversations that started in a window, through Genesys's async conversation details job: the
 * only analytics reply that carries participant attributes, so the legal-hold attribute is read in the same pass.
 * One job per window (submit, poll with a growing pause, page the results with their cursor).
 */
public class ConversationDiscovery {

    private final GenesysRecordings genesys;
    private final LegalHoldAttribute legalHoldAttribute;
    private final int pageSize;
    private final GenesysJobWait jobWait;

    public ConversationDiscovery(GenesysRecordings genesys, LegalHoldAttribute legalHoldAttribute, int pageSize,
            GenesysJobWait jobWait) {
        this.genesys = genesys;
        this.legalHoldAttribute = legalHoldAttribute;
        this.pageSize = pageSize;
        this.jobWait = jobWait;
    }

    /** Until when Genesys's analytics data is complete: a window must not end after it. */
    public Instant dataAvailableUntil() throws IOException, ApiException {
        return genesys.detailsDataAvailableUntil();
    }

    /** Every recorded conversation that started in {@code [from, to)}, as work from {@code intakeSource}. */
    public List<ConversationWork> discover(Instant from, Instant to, String intakeSource) throws IOException, ApiException {
        String jobId = genesys.submitDetailsJob(query(from, to));
        awaitFulfilled(jobId);
        Map<String, ConversationWork> found = new LinkedHashMap<>();
        String cursor = null;
        do {
            AnalyticsConversationAsyncQueryResponse page = genesys.detailsJobResults(jobId, cursor, pageSize);
            if (page.getConversations() != null) {
                for (AnalyticsConversation conversation : page.getConversations()) {
                    // the job's results carry the participants' attributes: the attribute is read here, once
                    boolean held = carriesLegalHold(conversation);
                    found.put(conversation.getConversationId(), new ConversationWork(conversation.getConversationId(),
                            held, intakeSource, held ? legalHoldAttribute.source() : null,
                            legalHoldAttribute.enabled()));
                }
            }
            cursor = page.getCursor();
        } while (cursor != null && !cursor.isBlank());
        return new ArrayList<>(found.values());
    }

    private AsyncConversationQuery query(Instant from, Instant to) {
        AsyncConversationQuery query = new AsyncConversationQuery();
        query.setInterval(from + "/" + to);
        query.setSegmentFilters(List.of(GenesysRecordings.recordedSegments()));
        query.setOrder(AsyncConversationQuery.OrderEnum.ASC);
        query.setOrderBy(AsyncConversationQuery.OrderByEnum.CONVERSATIONSTART);
        return query;
    }

    private void awaitFulfilled(String jobId) throws IOException, ApiException {
        jobWait.until("conversation details job " + jobId, () -> {
            AsyncQueryStatus status = genesys.detailsJobStatus(jobId);
            AsyncQueryStatus.StateEnum state = status.getState();
            if (state == AsyncQueryStatus.StateEnum.FAILED || state == AsyncQueryStatus.StateEnum.CANCELLED
                    || state == AsyncQueryStatus.StateEnum.EXPIRED) {
                throw new IOException("conversation details job " + jobId + " ended " + state
                        + (status.getErrorMessage() == null ? "" : ": " + status.getErrorMessage()));
            }
            return state == AsyncQueryStatus.StateEnum.FULFILLED ? Optional.of(state) : Optional.empty();
        });
    }

    private boolean carriesLegalHold(AnalyticsConversation conversation) {
        if (conversation.getParticipants() == null) {
            return false;
        }
        List<Map<String, String>> attributes = new ArrayList<>();
        for (AnalyticsParticipant participant : conversation.getParticipants()) {
            attributes.add(participant.getAttributes());
        }
        return legalHoldAttribute.holdsAny(attributes);
    }
}
