package io.recordingexporter.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.ledger.IncidentQueue.IncidentBatch;
import io.recordingexporter.ledger.IncidentQueue;
import io.recordingexporter.resilience.RetryPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ServiceNow side of the dead letter: failed recordings wait in the ledger's outbox and are told to ServiceNow's
 * Table API one correlation id ({@code recording-exporter:{lane}:{failureClass}}) at a time: a new incident when no
 * active one has that correlation id, otherwise a work note on it listing the new recordings. Undeliverable batches
 * wait with a jittered, growing delay; nothing is dropped. The HTTP calls are made by the route.
 */
public class IncidentOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentOutbox.class);
    private static final int ITEMS_PER_CLAIM = 500;

    private final IncidentQueue ledger;
    private final String instanceUrl;
    private final ServiceNowCredentials credentials;
    private final String assignmentGroup;
    private final RetryPolicy redelivery;
    private final Clock clock;
    private final LongUnaryOperator random;
    private final ObjectMapper json = new ObjectMapper();

    public IncidentOutbox(IncidentQueue ledger, String instanceUrl, ServiceNowCredentials credentials, String assignmentGroup,
            RetryPolicy redelivery, Clock clock, LongUnaryOperator random) {
        this.ledger = ledger;
        this.instanceUrl = instanceUrl.endsWith("/") ? instanceUrl.substring(0, instanceUrl.length() - 1) : instanceUrl;
        this.credentials = credentials;
        this.assignmentGroup = assignmentGroup;
        this.redelivery = redelivery;
        this.clock = clock;
        this.random = random;
        if (this.instanceUrl.isBlank()) {
            LOG.warn("SERVICENOW_INSTANCE_URL is not set: failed recordings wait in the incident outbox until it is");
        }
    }

    /** Due batches to deliver; none while ServiceNow is not configured (they keep waiting in the ledger). */
    public List<IncidentBatch> claimDue() {
        return instanceUrl.isBlank() ? List.of() : ledger.claimIncidentBatches(ITEMS_PER_CLAIM);
    }

    /** The Table API's incident table. */
    public String tableUrl() {
        return instanceUrl + "/api/now/table/incident";
    }

    /** Basic or OAuth for the Table API, set as a header so no secret appears in an endpoint URI. */
    public String authorization() throws IOException {
        return credentials.authorization();
    }

    /** The query that finds the open incident of this correlation id. */
    public String activeIncidentQuery(IncidentBatch batch) {
        return IncidentPayload.activeIncidentQuery(batch);
    }

    /** The sys_id of the active incident in a Table API lookup reply, or null when there is none. */
    public String activeIncident(String lookupReply) throws IOException {
        return IncidentPayload.activeIncident(lookupReply);
    }

    public String newIncident(IncidentBatch batch) throws IOException {
        return IncidentPayload.newIncident(batch, assignmentGroup);
    }

    public String workNote(IncidentBatch batch) throws IOException {
        return IncidentPayload.workNote(batch);
    }

    /** ServiceNow took it: the reply of the POST (new incident) or PATCH (work note) names the incident. */
    public void delivered(IncidentBatch batch, String reply) throws IOException {
        String number = json.readTree(reply).path("result").path("number").asText(null);
        ledger.markIncidentsDelivered(batch, number);
        LOG.info("ServiceNow {} has {} failed recording(s) of {}", number, batch.items().size(), batch.correlationId());
    }

    public void deliveryFailed(IncidentBatch batch, Throwable cause) {
        credentials.refused(cause);
        Instant now = clock.instant();
        Instant next = now.plusMillis(random.applyAsLong(redelivery.ceilingMillis(batch.attempt())));
        ledger.rescheduleIncidents(batch, cause.getClass().getSimpleName() + ": " + cause.getMessage(), next);
        LOG.warn("ServiceNow could not be told about {} ({} recordings); trying again at {}: {}", batch.correlationId(),
                batch.items().size(), next, cause.getMessage());
    }
}
