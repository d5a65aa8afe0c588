package io.recordingexporter.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.intake.WebhookRejectedException;
import io.recordingexporter.ledger.Backfills;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /exports}: validates a backfill request ({@code {"from", "to", "media"?, "legalHoldOnly"?}}) and records
 * it in the ledger,
 * where the backfill worker picks it up. Nothing is recorded for a request that is refused.
 */
public class BackfillRequests {

    /** The media a request may name, and the recording media each stands for. */
    private static final Map<String, String> MEDIA = Map.of(
            "voice", "audio", "screen", "screen", "chat", "chat", "message", "message", "sms", "message",
            "email", "email");
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final Backfills ledger;
    private final Duration chunk;
    private final Duration maxRange;
    private final Clock clock;
    private final ObjectMapper json = io.recordingexporter.intake.StrictJson.mapper();

    public BackfillRequests(Backfills ledger, Duration chunk, Duration maxRange, Clock clock) {
        this.ledger = ledger;
        this.chunk = chunk;
        this.maxRange = maxRange;
        this.clock = clock;
    }

    /** Validates and records the request; the reply body of the 202. */
    public String create(byte[] body) {
        if (body == null || body.length == 0) {
            throw new WebhookRejectedException(400, "empty body: expected {\"from\": ..., \"to\": ...}", null);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new WebhookRejectedException(413, "body exceeds " + MAX_BODY_BYTES + " bytes", null);
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (java.io.IOException e) {
            throw new WebhookRejectedException(400, "body is not valid JSON", null);
        }
        if (request == null || !request.isObject()) {
            throw new WebhookRejectedException(400, "expected a JSON object {\"from\": ..., \"to\": ...}", null);
        }
        Instant from = instant(request, "from");
        Instant to = instant(request, "to");
        if (!from.isBefore(to)) {
            throw new WebhookRejectedException(400, "from must be before to", "from");
        }
        if (to.isAfter(clock.instant())) {
            throw new WebhookRejectedException(400, "to must not be in the future", "to");
        }
        if (Duration.between(from, to).compareTo(maxRange) > 0) {
            throw new WebhookRejectedException(400, "the range exceeds " + maxRange.toDays() + " days; split it", "to");
        }
        String mediaFilter = mediaFilter(request.get("media"));
        boolean legalHoldOnly = legalHoldOnly(request.get("legalHoldOnly"));
        String exportId = UUID.randomUUID().toString();
        ledger.createBackfill(exportId, from, to, mediaFilter, chunk.getSeconds(), legalHoldOnly);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("id", exportId);
        reply.put("state", "PENDING");
        reply.put("progress", "/exports/" + exportId);
        try {
            return json.writeValueAsString(reply);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual()) {
            throw new WebhookRejectedException(400, field + " is required: an ISO-8601 date-time with offset", field);
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new WebhookRejectedException(400, field + " is not an ISO-8601 date-time with offset: "
                    + value.asText(), field);
        }
    }

    /** Absent or false: every conversation of the range; true: those under legal hold by any source alone. */
    private static boolean legalHoldOnly(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new WebhookRejectedException(400, "legalHoldOnly must be true or false", "legalHoldOnly");
        }
        return value.booleanValue();
    }

    private static String mediaFilter(JsonNode media) {
        if (media == null || media.isNull()) {
            return null;
        }
        if (!media.isArray() || media.isEmpty()) {
            throw new WebhookRejectedException(400, "media must be a non-empty array of " + MEDIA.keySet(), "media");
        }
        Set<String> recordingMedia = new LinkedHashSet<>();
        for (JsonNode name : media) {
            String mapped = name.isTextual() ? MEDIA.get(name.asText()) : null;
            if (mapped == null) {
                throw new WebhookRejectedException(400, "unknown media " + name + "; expected one of "
                        + new java.util.TreeSet<>(MEDIA.keySet()), "media");
            }
            recordingMedia.add(mapped);
        }
        return String.join(",", recordingMedia);
    }
}
