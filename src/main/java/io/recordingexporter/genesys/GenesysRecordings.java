package io.recordingexporter.genesys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.ApiResponse;
import com.mypurecloud.sdk.v2.api.AnalyticsApi;
import com.mypurecloud.sdk.v2.api.ConversationsApi;
import com.mypurecloud.sdk.v2.api.RecordingApi;
import com.mypurecloud.sdk.v2.model.AddressableEntityRef;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationAsyncQueryResponse;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationQueryResponse;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationWithoutAttributes;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationWithoutAttributesMultiGetResponse;
import com.mypurecloud.sdk.v2.model.AsyncConversationQuery;
import com.mypurecloud.sdk.v2.model.AsyncQueryStatus;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobStatusResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobSubmission;
import com.mypurecloud.sdk.v2.model.BatchDownloadRequest;
import com.mypurecloud.sdk.v2.model.Conversation;
import com.mypurecloud.sdk.v2.model.ConversationDeletionProtectionQuery;
import com.mypurecloud.sdk.v2.model.ConversationQuery;
import com.mypurecloud.sdk.v2.model.MediaResult;
import com.mypurecloud.sdk.v2.model.PagingSpec;
import com.mypurecloud.sdk.v2.model.Participant;
import com.mypurecloud.sdk.v2.model.FailedRecordingEntityListing;
import com.mypurecloud.sdk.v2.model.Recording;
import com.mypurecloud.sdk.v2.model.RecordingJob;
import com.mypurecloud.sdk.v2.model.RecordingMetadata;
import com.mypurecloud.sdk.v2.model.SegmentDetailQueryFilter;
import com.mypurecloud.sdk.v2.model.SegmentDetailQueryPredicate;
import io.recordingexporter.resilience.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every Genesys API call the exporter makes, through the official SDK: conversation details (multi-get and async
 * jobs), deletion protection, batch downloads, and the per-recording calls kept as fallbacks. Owns the token (every
 * call carries a current one, a 401 renews it once) and spends from the one shared rate budget.
 */
public class GenesysRecordings {

    private static final int ACCEPTED = 202;

    private final ApiClient client;
    private final RecordingApi recordingApi;
    private final AnalyticsApi analyticsApi;
    private final ConversationsApi conversationsApi;
    private final GenesysCalls calls;
    private final Clock clock;
    private final String audioFormat;

    public GenesysRecordings(String apiBaseUrl, GenesysTokenSource tokens, GenesysRateBudget budget,
            CircuitBreaker breaker, int timeoutMs, String audioFormat, Clock clock) {
        this(apiBaseUrl, tokens, budget, breaker, timeoutMs, audioFormat, clock, GenesysCallOutcomes.NONE);
    }

    /** @param outcomes told of every call's endpoint and status (the metrics) */
    public GenesysRecordings(String apiBaseUrl, GenesysTokenSource tokens, GenesysRateBudget budget,
            CircuitBreaker breaker, int timeoutMs, String audioFormat, Clock clock, GenesysCallOutcomes outcomes) {
        this.client = ApiClient.Builder.standard()
                .withBasePath(apiBaseUrl)
                .withConnectionTimeout(timeoutMs)
                // with the SDK's refresh on, a 401 turns into an UnknownHostException for login.<api host>
                .withShouldRefreshAccessToken(false)
                .withUserAgent("recording-exporter")
                .build();
        this.recordingApi = new RecordingApi(client);
        this.analyticsApi = new AnalyticsApi(client);
        this.conversationsApi = new ConversationsApi(client);
        this.calls = new GenesysCalls(client, tokens, budget, breaker, clock, 0, outcomes);
        this.clock = clock;
        this.audioFormat = audioFormat;
    }

    private GenesysRecordings(GenesysRecordings shared, int reservedByOthers) {
        this.client = shared.client;
        this.recordingApi = shared.recordingApi;
        this.analyticsApi = shared.analyticsApi;
        this.conversationsApi = shared.conversationsApi;
        this.calls = shared.calls.leaving(reservedByOthers);
        this.clock = shared.clock;
        this.audioFormat = shared.audioFormat;
    }

    /**
     * The same client for the lanes' own calls (their batch links, the per-recording fallback): they spend from the
     * shared budget only while {@code reserved} permits stay for discovery and expansion.
     */
    public GenesysRecordings forLanes(int reserved) {
        return new GenesysRecordings(this, reserved);
    }

    /** The SDK's own JSON mapper: what Genesys sends is written back out in the same shape. */
    public ObjectMapper objectMapper() {
        return client.getObjectMapper();
    }

    /**
     * Where the recording's media can be downloaded. A 202 reply or a recording without media links means Genesys is
     * still preparing it: {@link MediaNotReadyException}.
     */
    public URI mediaUriOf(String conversationId, String recordingId, String media) throws IOException, ApiException {
        String formatId = switch (media) {
            case "audio" -> audioFormat;
            case "screen" -> "WEBM";
            default -> null;
        };
        // before the call: a restore this process asks for from now on may not be in the allowance it reports
        Instant asked = clock.instant();
        ApiResponse<Recording> response = calls.withToken("GET /api/v2/conversations/{conversationId}/recordings/{recordingId}",
                () -> recordingApi.getConversationRecordingWithHttpInfo(
                conversationId, recordingId, formatId, null, null, null, Boolean.TRUE, null, null, null));
        Recording recording = response.getBody();
        if (response.getStatusCode() == ACCEPTED || recording == null) {
            throw new MediaNotReadyException("recording " + recordingId + " is being prepared (HTTP "
                    + response.getStatusCode() + ")");
        }
        Recording.FileStateEnum state = recording.getFileState();
        if (state == Recording.FileStateEnum.ARCHIVED) {
            throw new RecordingArchivedException(recordingId, recording.getRemainingRestorationsAllowedForOrg(),
                    recording.getMaxAllowedRestorationsForOrg(), asked);
        }
        if (state == Recording.FileStateEnum.RESTORING) {
            throw new RecordingAwaitsRestoreException("recording " + recordingId + " is RESTORING");
        }
        if (state == Recording.FileStateEnum.DELETED || state == Recording.FileStateEnum.ERROR) {
            throw new RecordingGoneException("Genesys reports recording " + recordingId + " " + state
                    + ": it has no media to export");
        }
        if (state != null && state != Recording.FileStateEnum.AVAILABLE && state != Recording.FileStateEnum.RESTORED) {
            throw new MediaNotReadyException("recording " + recordingId + " is " + state);
        }
        Map<String, MediaResult> uris = recording.getMediaUris();
        if (uris == null || uris.isEmpty()) {
            throw new MediaNotReadyException("recording " + recordingId + " has no media link yet");
        }
        MediaResult first = uris.values().iterator().next();
        if (first.getMediaUri() == null) {
            throw new MediaNotReadyException("recording " + recordingId + " has no media link yet");
        }
        return URI.create(first.getMediaUri());
    }

    /**
     * A fingerprint of a recording's metadata ({@code fileState}, archive, delete, export and restore dates,
     * annotations), read again before a locked recording is retried: a different fingerprint means Genesys changed
     * something. A recording still under its metadata lock makes this call answer 409 (an {@link ApiException}).
     */
    public String metadataFingerprint(String conversationId, String recordingId) throws IOException, ApiException {
        RecordingMetadata metadata = calls.withToken(
                "GET /api/v2/conversations/{conversationId}/recordingmetadata/{recordingId}",
                () -> recordingApi.getConversationRecordingmetadataRecordingIdWithHttpInfo(
                conversationId, recordingId)).getBody();
        try {
            byte[] canonical = FINGERPRINT_JSON.writeValueAsBytes(metadata);
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static final ObjectMapper FINGERPRINT_JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** Details of up to 100 conversations in one call; conversations analytics does not know yet are missing. */
    public List<AnalyticsConversationWithoutAttributes> conversationDetails(List<String> conversationIds)
            throws IOException, ApiException {
        AnalyticsConversationWithoutAttributesMultiGetResponse reply = calls.withToken("GET /api/v2/analytics/conversations/details",
                () -> analyticsApi.getAnalyticsConversationsDetailsWithHttpInfo(conversationIds)).getBody();
        return reply == null || reply.getConversations() == null ? List.of() : reply.getConversations();
    }

    /**
     * The attributes of every participant of a conversation, read in real time ({@code GET /api/v2/conversations/{id}}):
     * the analytics replies that arrive in seconds carry none, and the details jobs that do lag by hours. A
     * conversation Genesys does not know (yet) answers 404 (an {@link ApiException}).
     */
    public List<Map<String, String>> participantAttributes(String conversationId) throws IOException, ApiException {
        Conversation conversation = calls.withToken("GET /api/v2/conversations/{conversationId}",
                () -> conversationsApi.getConversationWithHttpInfo(conversationId)).getBody();
        List<Map<String, String>> attributes = new java.util.ArrayList<>();
        if (conversation != null && conversation.getParticipants() != null) {
            for (Participant participant : conversation.getParticipants()) {
                attributes.add(participant.getAttributes() == null ? Map.of() : participant.getAttributes());
            }
        }
        return attributes;
    }

    /** One page of a synchronous details query: the conversations on it, and how many the interval holds in all. */
    public record ConversationPage(List<String> conversationIds, int totalHits) {}

    /**
     * Conversations with recordings that started in {@code [from, to)}, a page of up to 100 at a time, through the
     * synchronous details query (it answers in seconds, without the async jobs' lag; no participant attributes).
     */
    public ConversationPage recordedConversations(Instant from, Instant to, int pageSize, int pageNumber)
            throws IOException, ApiException {
        PagingSpec paging = new PagingSpec();
        paging.setPageSize(pageSize);
        paging.setPageNumber(pageNumber);
        ConversationQuery query = new ConversationQuery();
        query.setInterval(from + "/" + to);
        query.setSegmentFilters(List.of(recordedSegments()));
        query.setOrder(ConversationQuery.OrderEnum.ASC);
        query.setOrderBy(ConversationQuery.OrderByEnum.CONVERSATIONSTART);
        query.setPaging(paging);
        AnalyticsConversationQueryResponse reply = calls.withToken("POST /api/v2/analytics/conversations/details/query",
                () -> analyticsApi.postAnalyticsConversationsDetailsQueryWithHttpInfo(query)).getBody();
        List<String> ids = new java.util.ArrayList<>();
        if (reply != null && reply.getConversations() != null) {
            reply.getConversations().forEach(conversation -> ids.add(conversation.getConversationId()));
        }
        return new ConversationPage(ids, reply == null || reply.getTotalHits() == null ? ids.size() : reply.getTotalHits());
    }

    /** The segment filter of every conversation query the exporter makes: conversations with a recording. */
    public static SegmentDetailQueryFilter recordedSegments() {
        SegmentDetailQueryPredicate recorded = new SegmentDetailQueryPredicate();
        recorded.setType(SegmentDetailQueryPredicate.TypeEnum.DIMENSION);
        recorded.setDimension(SegmentDetailQueryPredicate.DimensionEnum.RECORDING);
        recorded.setOperator(SegmentDetailQueryPredicate.OperatorEnum.EXISTS);
        SegmentDetailQueryFilter filter = new SegmentDetailQueryFilter();
        filter.setType(SegmentDetailQueryFilter.TypeEnum.AND);
        filter.setPredicates(List.of(recorded));
        return filter;
    }

    /**
     * Asks Genesys to restore an archived recording until {@code until} (the recording updated with its
     * {@code restoreExpirationTime}, as Genesys documents the restore); its file state as Genesys answers.
     */
    public Recording.FileStateEnum requestRestore(String conversationId, String recordingId, Instant until)
            throws IOException, ApiException {
        Recording restore = new Recording().restoreExpirationTime(java.util.Date.from(until));
        Recording answer = calls.withToken("PUT /api/v2/conversations/{conversationId}/recordings/{recordingId}",
                () -> recordingApi.putConversationRecordingWithHttpInfo(conversationId, recordingId, restore, null))
                .getBody();
        return answer == null ? null : answer.getFileState();
    }

    /** A recording bulk job (the native export, say): its state, action and how many recordings it failed for. */
    public RecordingJob recordingJob(String jobId) throws IOException, ApiException {
        return calls.withToken("GET /api/v2/recording/jobs/{jobId}",
                () -> recordingApi.getRecordingJobWithHttpInfo(jobId)).getBody();
    }

    /** One page (at most 100) of the recordings a bulk job failed for; {@code pageNumber} counts from 1. */
    public FailedRecordingEntityListing failedRecordings(String jobId, int pageNumber, int pageSize)
            throws IOException, ApiException {
        return calls.withToken("GET /api/v2/recording/jobs/{jobId}/failedrecordings",
                () -> recordingApi.getRecordingJobFailedrecordingsWithHttpInfo(jobId, pageSize, pageNumber, true,
                        null)).getBody();
    }

    /** Which of up to 100 conversations are protected from deletion (Genesys's legal hold). */
    public Set<String> protectedFromDeletion(List<String> conversationIds) throws IOException, ApiException {
        ConversationDeletionProtectionQuery query = new ConversationDeletionProtectionQuery();
        query.setConversationIds(conversationIds);
        List<AddressableEntityRef> protectedOnes = calls.withToken("POST /api/v2/recordings/deletionprotection",
                () -> recordingApi.postRecordingsDeletionprotectionWithHttpInfo(query)).getBody();
        Set<String> ids = new LinkedHashSet<>();
        if (protectedOnes != null) {
            protectedOnes.forEach(ref -> ids.add(ref.getId()));
        }
        return ids;
    }

    /** Submits a batch download (at most 100 requests; a request without recording id asks for them all). */
    public String submitBatchDownload(List<BatchDownloadRequest> requests) throws IOException, ApiException {
        BatchDownloadJobSubmission submission = new BatchDownloadJobSubmission();
        submission.setBatchDownloadRequestList(requests);
        return calls.withToken("POST /api/v2/recording/batchrequests",
                () -> recordingApi.postRecordingBatchrequestsWithHttpInfo(submission)).getBody().getId();
    }

    public BatchDownloadJobStatusResult batchDownloadStatus(String jobId) throws IOException, ApiException {
        return calls.withToken("GET /api/v2/recording/batchrequests/{jobId}",
                () -> recordingApi.getRecordingBatchrequestWithHttpInfo(jobId)).getBody();
    }

    /** The date up to which the async conversation details jobs have complete data. */
    public Instant detailsDataAvailableUntil() throws IOException, ApiException {
        return calls.withToken("GET /api/v2/analytics/conversations/details/jobs/availability",
                () -> analyticsApi.getAnalyticsConversationsDetailsJobsAvailabilityWithHttpInfo()).getBody()
                .getDataAvailabilityDate().toInstant();
    }

    public String submitDetailsJob(AsyncConversationQuery query) throws IOException, ApiException {
        return calls.withToken("POST /api/v2/analytics/conversations/details/jobs",
                () -> analyticsApi.postAnalyticsConversationsDetailsJobsWithHttpInfo(query)).getBody().getJobId();
    }

    public AsyncQueryStatus detailsJobStatus(String jobId) throws IOException, ApiException {
        return calls.withToken("GET /api/v2/analytics/conversations/details/jobs/{jobId}",
                () -> analyticsApi.getAnalyticsConversationsDetailsJobWithHttpInfo(jobId)).getBody();
    }

    public AnalyticsConversationAsyncQueryResponse detailsJobResults(String jobId, String cursor, int pageSize)
            throws IOException, ApiException {
        return calls.withToken("GET /api/v2/analytics/conversations/details/jobs/{jobId}/results",
                () -> analyticsApi.getAnalyticsConversationsDetailsJobResultsWithHttpInfo(jobId, cursor,
                pageSize)).getBody();
    }
}
