package io.recordingexporter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mypurecloud.sdk.v2.model.AnalyticsConversation;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationAsyncQueryResponse;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationWithoutAttributes;
import com.mypurecloud.sdk.v2.model.AsyncQueryStatus;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobStatusResult;
import io.recordingexporter.discovery.ConversationDiscovery;
import io.recordingexporter.genesys.BatchDownloads;
import io.recordingexporter.genesys.GenesysJobWait;
import io.recordingexporter.genesys.GenesysRateBudget;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.genesys.GenesysTokenSource;
import io.recordingexporter.domain.LegalHoldAttribute;
import io.recordingexporter.intake.ConversationWork;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every reply the simulator gives to a call the exporter makes is read through the official SDK, and read again
 * strictly (unknown properties fail): no field the SDK does not know, and no enum the SDK reads as
 * {@code OutdatedSdkVersion}.
 */
class SimulatorSdkContractTest {

    private static SimulatedOrg org;
    private static GenesysSimulator simulator;
    private static GenesysRecordings genesys;
    private static ObjectMapper strict;

    @BeforeAll
    static void start() throws IOException {
        org = SimulatedOrg.generate(7, 60, Instant.parse("2026-06-01T00:00:00Z"), SimulatedOrg.MediaSizes.SMALL);
        simulator = new GenesysSimulator(org, "id", "secret", 0).withBatchJobDuration(Duration.ofMillis(300))
                .withDetailsJobDuration(Duration.ofMillis(300)).withTranscodingAfterStart(Duration.ZERO);
        simulator.start();
        Clock clock = Clock.systemUTC();
        GenesysTokenSource tokens = new GenesysTokenSource(simulator.baseUrl(), "id", "secret", Duration.ofMinutes(5),
                Duration.ofSeconds(5), clock);
        genesys = new GenesysRecordings(simulator.baseUrl(), tokens, new GenesysRateBudget(240, 40, clock),
                new io.recordingexporter.resilience.CircuitBreaker("genesys", 5, Duration.ofSeconds(15), clock), 10_000,
                "WAV", clock);
        strict = genesys.objectMapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static <T> T strictly(Object fromSdk, Class<T> model) throws IOException {
        String text = genesys.objectMapper().writeValueAsString(fromSdk);
        assertFalse(text.contains("OutdatedSdkVersion"), "an enum the SDK does not know: " + text);
        return strict.readValue(text, model);
    }

    @Test
    void conversationDetailsMultiGet() throws Exception {
        List<String> ids = org.conversations().stream().limit(10).map(SimulatedOrg.Conversation::id).toList();
        List<AnalyticsConversationWithoutAttributes> details = genesys.conversationDetails(ids);
        assertEquals(10, details.size());
        for (AnalyticsConversationWithoutAttributes conversation : details) {
            strictly(conversation, AnalyticsConversationWithoutAttributes.class);
            assertNotNull(conversation.getConversationStart());
            assertFalse(conversation.getParticipants().isEmpty());
        }
    }

    @Test
    void oneRecordingsMetadataReadsThroughTheSdkAndFingerprintsTheSameTwice() throws Exception {
        SimulatedOrg.Recording recording = org.conversations().get(0).recordings().get(0);
        String first = genesys.metadataFingerprint(recording.conversationId(), recording.id());
        assertTrue(first.matches("[0-9a-f]{64}"), first);
        assertEquals(first, genesys.metadataFingerprint(recording.conversationId(), recording.id()), "nothing changed");
        com.mypurecloud.sdk.v2.ApiException missing = assertThrows(
                com.mypurecloud.sdk.v2.ApiException.class, () -> genesys.metadataFingerprint(recording.conversationId(),
                        java.util.UUID.randomUUID().toString()));
        assertEquals(404, missing.getStatusCode());
    }

    @Test
    void deletionProtectionNamesExactlyTheProtectedConversations() throws Exception {
        List<String> ids = org.conversations().stream().map(SimulatedOrg.Conversation::id).toList();
        Set<String> expected = org.conversations().stream().filter(SimulatedOrg.Conversation::protectedFromDeletion)
                .map(SimulatedOrg.Conversation::id).collect(Collectors.toSet());
        assertFalse(expected.isEmpty(), "the seed has protected conversations");
        assertEquals(expected, genesys.protectedFromDeletion(ids));
    }

    @Test
    void batchDownloadOfWholeConversationsListsEveryRecordingWithAWorkingLink() throws Exception {
        List<SimulatedOrg.Conversation> some = org.conversations().subList(0, 12);
        List<com.mypurecloud.sdk.v2.model.BatchDownloadRequest> requests = new ArrayList<>();
        some.forEach(c -> requests.add(BatchDownloads.wholeConversation(c.id())));
        String jobId = genesys.submitBatchDownload(requests);
        BatchDownloadJobStatusResult status = genesys.batchDownloadStatus(jobId);
        strictly(status, BatchDownloadJobStatusResult.class);
        assertTrue(status.getResultCount() < status.getExpectedResultCount(), "results take time to arrive");
        Thread.sleep(400);
        status = genesys.batchDownloadStatus(jobId);
        strictly(status, BatchDownloadJobStatusResult.class);
        // screen recordings uploaded late by the agent's desktop are not listed yet (the default delay is 45 s)
        int recordings = (int) some.stream().flatMap(c -> c.recordings().stream())
                .filter(r -> !GenesysSimulator.uploadedLate(r)).count();
        assertEquals(recordings, status.getExpectedResultCount());
        assertEquals(recordings, status.getResultCount());
        HttpClient http = HttpClient.newHttpClient();
        for (BatchDownloadJobResult result : status.getResults()) {
            SimulatedOrg.Recording recording = org.recording(result.getRecordingId());
            assertEquals(recording.contentType(), result.getContentType());
            HttpResponse<byte[]> media = http.send(HttpRequest.newBuilder(URI.create(result.getResultUrl())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, media.statusCode());
            assertEquals(recording.sizeBytes(), media.body().length);
        }
        // a link whose signature was altered is refused, as an object store refuses it
        String forged = status.getResults().get(0).getResultUrl().replaceAll("signature=[^&]+", "signature=0");
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(forged)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void aLateScreenRecordingIsListedOnlyAfterItsDelayWhileItsSessionShowsAtOnce() throws Exception {
        SimulatedOrg.Conversation call = org.conversations().stream()
                .filter(c -> c.recordings().stream().anyMatch(GenesysSimulator::uploadedLate)).findFirst().orElseThrow();
        SimulatedOrg.Recording late = call.recordings().stream().filter(GenesysSimulator::uploadedLate).findFirst()
                .orElseThrow();
        try (GenesysSimulator lateOne = new GenesysSimulator(org, "id", "secret", 0)
                .withBatchJobDuration(Duration.ofMillis(100)).withLateScreenDelay(Duration.ofSeconds(2)).start()) {
            Clock clock = Clock.systemUTC();
            GenesysRecordings client = new GenesysRecordings(lateOne.baseUrl(), new GenesysTokenSource(lateOne.baseUrl(),
                    "id", "secret", Duration.ofMinutes(5), Duration.ofSeconds(5), clock), new GenesysRateBudget(240, 40, clock),
                    new io.recordingexporter.resilience.CircuitBreaker("genesys", 5, Duration.ofSeconds(15), clock), 10_000,
                    "WAV", clock);
            lateOne.conversationEnded(call.id());
            assertFalse(listedRecordings(client, call.id()).contains(late.id()), "not listed right after the end event");
            assertTrue(client.conversationDetails(List.of(call.id())).get(0).getParticipants().stream()
                    .flatMap(p -> p.getSessions().stream()).anyMatch(session -> session.getMediaType()
                            == com.mypurecloud.sdk.v2.model.AnalyticsSession.MediaTypeEnum.SCREENSHARE),
                    "the screen-share session shows from the start");
            Thread.sleep(2100);
            assertTrue(listedRecordings(client, call.id()).contains(late.id()), "listed once its upload is in");
        }
    }

    private static Set<String> listedRecordings(GenesysRecordings client, String conversationId) throws Exception {
        String jobId = client.submitBatchDownload(List.of(BatchDownloads.wholeConversation(conversationId)));
        Thread.sleep(200);
        return client.batchDownloadStatus(jobId).getResults().stream().map(BatchDownloadJobResult::getRecordingId)
                .collect(Collectors.toSet());
    }

    @Test
    void asyncDetailsJobCarriesTheLegalHoldAttributeAndPagesWithACursor() throws Exception {
        ConversationDiscovery discovery = new ConversationDiscovery(genesys, new LegalHoldAttribute("legalHold"), 25,
                new GenesysJobWait(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(30), Clock.systemUTC()));
        Instant from = Instant.parse("2026-04-01T00:00:00Z");
        Instant to = Instant.parse("2026-06-01T00:00:00Z");
        List<ConversationWork> found = discovery.discover(from, to, "poll");
        assertEquals(org.conversations().size(), found.size(), "60 conversations over three pages of 25");
        for (ConversationWork work : found) {
            SimulatedOrg.Conversation conversation = org.conversation(work.conversationId());
            assertEquals(conversation.legalHoldAttribute(), work.legalHoldClaimed(), work.conversationId());
            assertEquals(conversation.legalHoldAttribute() ? "attribute:legalHold" : null, work.legalHoldSource());
            assertTrue(work.holdAttributeRead(), "the job's results carry the attribute: no real-time read needed");
        }
        assertTrue(discovery.dataAvailableUntil().isAfter(Instant.now().minusSeconds(60)));
    }

    @Test
    void asyncDetailsJobRepliesAreSdkShaped() throws Exception {
        com.mypurecloud.sdk.v2.model.AsyncConversationQuery query = new com.mypurecloud.sdk.v2.model.AsyncConversationQuery();
        query.setInterval("2026-04-01T00:00:00Z/2026-06-01T00:00:00Z");
        String jobId = genesys.submitDetailsJob(query);
        assertEquals(AsyncQueryStatus.StateEnum.QUEUED, strictly(genesys.detailsJobStatus(jobId), AsyncQueryStatus.class).getState());
        Thread.sleep(400);
        assertEquals(AsyncQueryStatus.StateEnum.FULFILLED, genesys.detailsJobStatus(jobId).getState());
        AnalyticsConversationAsyncQueryResponse page = genesys.detailsJobResults(jobId, null, 100);
        strictly(page, AnalyticsConversationAsyncQueryResponse.class);
        for (AnalyticsConversation conversation : page.getConversations()) {
            strictly(conversation, AnalyticsConversation.class);
        }
    }

    @Test
    void aConversationReadInRealTimeCarriesItsParticipantsAttributes() throws Exception {
        LegalHoldAttribute attribute = new LegalHoldAttribute("legalHold");
        for (SimulatedOrg.Conversation conversation : org.conversations().subList(0, 20)) {
            assertEquals(conversation.legalHoldAttribute(),
                    attribute.holdsAny(genesys.participantAttributes(conversation.id())), conversation.id());
        }
        com.mypurecloud.sdk.v2.ApiException unknown = assertThrows(com.mypurecloud.sdk.v2.ApiException.class,
                () -> genesys.participantAttributes(java.util.UUID.randomUUID().toString()));
        assertEquals(404, unknown.getStatusCode());
    }

    @Test
    void perRecordingFallbackGivesASignedLink() throws Exception {
        SimulatedOrg.Recording recording = org.conversations().get(0).recordings().get(0);
        URI link = genesys.mediaUriOf(recording.conversationId(), recording.id(), recording.media());
        assertTrue(link.getQuery().contains("signature="));
    }

    /**
     * A recording bulk job and the recordings it failed for, read through the SDK: its state and action as the SDK's
     * enums know them, and every recording of the org failed, read over two pages of 50, each with its conversation;
     * an unknown job is a 404.
     */
    @Test
    void recordingBulkJobAndItsFailedRecordings() throws Exception {
        List<SimulatedOrg.Recording> failed = org.conversations().stream().flatMap(c -> c.recordings().stream())
                .toList();
        assertTrue(failed.size() > 50 && failed.size() <= 100, "two pages of 50: " + failed.size());
        String jobId = java.util.UUID.randomUUID().toString();
        simulator.withRecordingJob(new GenesysSimulator.RecordingJob(jobId, "FULFILLED", "EXPORT", failed));

        com.mypurecloud.sdk.v2.model.RecordingJob job = genesys.recordingJob(jobId);
        strictly(job, com.mypurecloud.sdk.v2.model.RecordingJob.class);
        assertEquals(com.mypurecloud.sdk.v2.model.RecordingJob.StateEnum.FULFILLED, job.getState());
        assertEquals(com.mypurecloud.sdk.v2.model.RecordingJobsQuery.ActionEnum.EXPORT,
                job.getRecordingJobsQuery().getAction());
        assertEquals(failed.size(), job.getTotalFailedRecordings());

        com.mypurecloud.sdk.v2.model.FailedRecordingEntityListing first = genesys.failedRecordings(jobId, 1, 50);
        strictly(first, com.mypurecloud.sdk.v2.model.FailedRecordingEntityListing.class);
        com.mypurecloud.sdk.v2.model.FailedRecordingEntityListing second = genesys.failedRecordings(jobId, 2, 50);
        assertEquals(2, first.getPageCount());
        assertEquals((long) failed.size(), first.getTotal());
        assertEquals(50, first.getEntities().size());
        assertEquals(failed.size() - 50, second.getEntities().size());
        assertEquals(null, second.getNextUri(), "the last page");
        List<String> read = new java.util.ArrayList<>();
        for (var page : List.of(first, second)) {
            for (var entity : page.getEntities()) {
                read.add(entity.getConversation().getId() + "/" + entity.getRecording().getId());
            }
        }
        assertEquals(failed.stream().map(r -> r.conversationId() + "/" + r.id()).toList(), read);

        com.mypurecloud.sdk.v2.ApiException unknown = assertThrows(
                com.mypurecloud.sdk.v2.ApiException.class, () -> genesys.recordingJob(java.util.UUID.randomUUID().toString()));
        assertEquals(404, unknown.getStatusCode());
    }

    /**
     * A bulk export submitted and run through the SDK's own calls, as an admin's script would: PENDING when submitted,
     * READY, PROCESSING once PUT, then FULFILLED with the recordings Genesys's export fails for (every one of a
     * conversation under legal hold, every screen recording); a query without its interval is a 400.
     */
    @Test
    void aSubmittedExportJobRunsToFulfilledWithTheLegalHoldAndScreenRecordingsFailed() throws Exception {
        com.mypurecloud.sdk.v2.api.RecordingApi api = new com.mypurecloud.sdk.v2.api.RecordingApi(
                com.mypurecloud.sdk.v2.ApiClient.Builder.standard().withBasePath(simulator.baseUrl())
                        .withAccessToken(new GenesysTokenSource(simulator.baseUrl(), "id", "secret",
                                Duration.ofMinutes(5), Duration.ofSeconds(5), Clock.systemUTC()).currentToken())
                        .withShouldRefreshAccessToken(false).build());
        com.mypurecloud.sdk.v2.model.RecordingJobsQuery query = new com.mypurecloud.sdk.v2.model.RecordingJobsQuery()
                .action(com.mypurecloud.sdk.v2.model.RecordingJobsQuery.ActionEnum.EXPORT)
                .actionDate(new java.util.Date()).integrationId("aws-s3-integration").includeScreenRecordings(true)
                .conversationQuery(new com.mypurecloud.sdk.v2.model.AsyncConversationQuery()
                        .interval("2026-05-01T00:00:00Z/2026-08-01T00:00:00Z"));
        com.mypurecloud.sdk.v2.model.RecordingJob submitted = api.postRecordingJobs(query);
        strictly(submitted, com.mypurecloud.sdk.v2.model.RecordingJob.class);
        assertEquals(com.mypurecloud.sdk.v2.model.RecordingJob.StateEnum.PENDING, submitted.getState());
        assertEquals(com.mypurecloud.sdk.v2.model.RecordingJob.StateEnum.READY,
                api.getRecordingJob(submitted.getId()).getState());
        api.putRecordingJob(submitted.getId(), new com.mypurecloud.sdk.v2.model.ExecuteRecordingJobsQuery()
                .state(com.mypurecloud.sdk.v2.model.ExecuteRecordingJobsQuery.StateEnum.PROCESSING));
        Thread.sleep(400);
        com.mypurecloud.sdk.v2.model.RecordingJob done = api.getRecordingJob(submitted.getId());
        assertEquals(com.mypurecloud.sdk.v2.model.RecordingJob.StateEnum.FULFILLED, done.getState());
        long expected = org.conversations().stream().mapToLong(c -> c.recordings().stream()
                .filter(r -> GenesysSimulator.failsInNativeExport(c, r)).count()).sum();
        assertTrue(expected > 0 && expected < org.recordingCount(), "some fail, not all: " + expected);
        assertEquals((int) expected, done.getTotalFailedRecordings());
        assertEquals(org.recordingCount(), (long) done.getTotalRecordings());
        assertEquals((long) expected, genesys.failedRecordings(submitted.getId(), 1, 100).getTotal());

        com.mypurecloud.sdk.v2.ApiException noInterval = assertThrows(com.mypurecloud.sdk.v2.ApiException.class,
                () -> api.postRecordingJobs(query.conversationQuery(new com.mypurecloud.sdk.v2.model.AsyncConversationQuery())));
        assertEquals(400, noInterval.getStatusCode());
    }
}
