package io.recordingexporter.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.model.FailedRecordingEntityListing;
import com.mypurecloud.sdk.v2.model.RecordingJob;
import com.mypurecloud.sdk.v2.model.RecordingJobFailedRecording;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.StrictJson;
import io.recordingexporter.intake.WebhookRejectedException;
import io.recordingexporter.ledger.BulkRescues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /rescues {"jobId"}}: a Genesys bulk export job ({@code POST /api/v2/recording/jobs}, action EXPORT)
 * finished with failed recordings — legal-hold ones that answered 409, screen recordings that timed out — and nothing
 * retries them. The rescue reads the job, pages through its failed recordings, and takes in each one's conversation
 * through the normal intake, listed for those recordings alone (source {@code bulk-job:{jobId}}), so lanes, legal
 * hold, retries, custody and incidents all apply. A job that is unknown, not an EXPORT or not finished is refused and
 * nothing is recorded. Every call goes through the shared rate budget.
 */
public class BulkJobRescue {

    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final int PAGE_SIZE = 100;
    private static final int MAX_BODY_BYTES = 4 * 1024;

    /** What a rescue would take in (--dry-run shows it) and, once recorded, what it did. */
    public record Rescue(String jobId, List<BulkRescues.FailedRecording> failed, List<ConversationWork> conversations) {}

    /** The reply of POST /rescues and the intake receipt for the audit trail. */
    public record Rescued(String reply, io.recordingexporter.intake.IntakeReceipt intake) {}

    private final GenesysRecordings genesys;
    private final BulkRescues ledger;
    private final ObjectMapper json = StrictJson.mapper();

    public BulkJobRescue(GenesysRecordings genesys, BulkRescues ledger) {
        this.genesys = genesys;
        this.ledger = ledger;
    }

    /** POST /rescues: validates the body and the job, then records the rescue. */
    public Rescued rescue(byte[] body) throws IOException {
        return rescueJob(jobIdOf(body));
    }

    /** Reads the job and records its rescue (the sub-command's way in; {@code jobId} checked by {@link #jobId}). */
    public Rescued rescueJob(String jobId) throws IOException {
        Rescue rescue = find(jobId);
        BulkRescues.Recorded recorded = ledger.record(rescue.jobId(), rescue.failed(), rescue.conversations());
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("id", rescue.jobId());
        reply.put("found", recorded.found());
        reply.put("queued", recorded.newlyFound());
        reply.put("conversations", rescue.conversations().size());
        reply.put("progress", "/rescues/" + rescue.jobId());
        try {
            return new Rescued(json.writeValueAsString(reply), recorded.intake());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The job's failed recordings, grouped by conversation; refuses a job that cannot be rescued. */
    public Rescue find(String jobId) throws IOException {
        RecordingJob job;
        try {
            job = genesys.recordingJob(jobId);
        } catch (ApiException e) {
            throw refusal(e, jobId);
        }
        String action = job.getRecordingJobsQuery() == null || job.getRecordingJobsQuery().getAction() == null ? null
                : job.getRecordingJobsQuery().getAction().toString();
        if (!"EXPORT".equals(action)) {
            throw new WebhookRejectedException(409, "job " + jobId + " is " + (action == null ? "of no known action"
                    : "a " + action + " job") + ": only an EXPORT job's failed recordings can be rescued", "jobId");
        }
        String state = job.getState() == null ? null : job.getState().toString();
        if (!"FULFILLED".equals(state)) {
            throw new WebhookRejectedException(409, "job " + jobId + " is " + state
                    + ": rescue it once it has finished (FULFILLED)", "jobId");
        }
        List<BulkRescues.FailedRecording> failed = new ArrayList<>();
        Map<String, List<String>> byConversation = new LinkedHashMap<>();
        int pages = 1;
        for (int page = 1; page <= pages; page++) {
            FailedRecordingEntityListing listing;
            try {
                listing = genesys.failedRecordings(jobId, page, PAGE_SIZE);
            } catch (ApiException e) {
                throw refusal(e, jobId);
            }
            pages = listing.getPageCount() == null ? 1 : listing.getPageCount();
            for (RecordingJobFailedRecording entity : listing.getEntities() == null
                    ? List.<RecordingJobFailedRecording>of() : listing.getEntities()) {
                String conversationId = entity.getConversation() == null ? null : entity.getConversation().getId();
                String recordingId = entity.getRecording() == null ? null : entity.getRecording().getId();
                if (conversationId == null || recordingId == null || !UUID.matcher(conversationId).matches()
                        || !UUID.matcher(recordingId).matches()) {
                    continue; // what Genesys sends is checked like anything from outside: only ids become work
                }
                failed.add(new BulkRescues.FailedRecording(conversationId, recordingId));
                byConversation.computeIfAbsent(conversationId, id -> new ArrayList<>()).add(recordingId);
            }
        }
        List<ConversationWork> conversations = new ArrayList<>();
        byConversation.forEach((conversationId, recordingIds) -> conversations.add(
                ConversationWork.recordingsOnly(conversationId, "bulk-job:" + jobId, recordingIds)));
        return new Rescue(jobId, failed, conversations);
    }

    private String jobIdOf(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BODY_BYTES) {
            throw new WebhookRejectedException(400, "expected {\"jobId\": \"<uuid>\"}", "jobId");
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (IOException e) {
            throw new WebhookRejectedException(400, "body is not valid JSON", null);
        }
        JsonNode jobId = request == null ? null : request.get("jobId");
        return jobId(jobId == null || !jobId.isTextual() ? null : jobId.asText());
    }

    /** {@code candidate} when it is a bulk job's id (a lower-case UUID), else a 400 refusal. */
    public static String jobId(String candidate) {
        if (candidate == null || !UUID.matcher(candidate).matches()) {
            throw new WebhookRejectedException(400, "jobId must be the bulk job's id, a lower-case UUID", "jobId");
        }
        return candidate;
    }

    private static RuntimeException refusal(ApiException e, String jobId) {
        if (e.getStatusCode() == 404) {
            return new WebhookRejectedException(404, "Genesys knows no recording bulk job " + jobId, "jobId");
        }
        return new WebhookRejectedException(503, "Genesys did not give the job (HTTP " + e.getStatusCode()
                + "); nothing was recorded, try again later", null);
    }
}
