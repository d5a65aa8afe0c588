package io.recordingexporter.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.camel.Header;

/**
 * Everything the webhook checks before the ledger sees a call: the bearer token, the size, and the body, which may be
 * a Genesys notification envelope ({@code eventBody.conversationId} or {@code eventBody.id}), an EventBridge envelope
 * (the same under {@code detail}), a plain {@code {"conversationId": ..., "legalHold": ...}}, or an array of these.
 * Any failure throws {@link WebhookRejectedException}; nothing is recorded for a rejected call.
 */
public class WebhookGate {

    public static final String INTAKE_SOURCE = "webhook";
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final String BEARER = "Bearer ";

    private final ObjectMapper json = StrictJson.mapper();
    private final BearerGate token;
    private final int maxBodyBytes;
    private final int maxBatch;

    public WebhookGate(String token, int maxBodyBytes, int maxBatch) {
        this.token = new BearerGate(token);
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatch = maxBatch;
    }

    /** {@code Authorization: Bearer <webhook token>}, from the header only ({@link BearerGate}). */
    public void authenticate(@Header("Authorization") Object authorization,
            @Header(org.apache.camel.Exchange.HTTP_QUERY) String query) {
        token.authenticate(authorization, query);
    }

    /**
     * The body must be JSON. A missing Content-Type is read as JSON; any other type (a form post, say) is refused
     * with 415 before the HTTP layer's form parsing can make anything of it.
     */
    public void requireJson(@Header("Content-Type") String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new WebhookRejectedException(415, "Content-Type must be application/json, not " + type, null);
        }
    }

    /** Parses and validates the body into the conversations it names, in order. */
    public List<ConversationWork> parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new WebhookRejectedException(400, "empty body: expected a JSON object or array", null);
        }
        if (body.length > maxBodyBytes) {
            throw new WebhookRejectedException(413, "body exceeds " + maxBodyBytes + " bytes", null);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new WebhookRejectedException(400, "body is not valid JSON", null);
        } catch (java.io.IOException e) {
            throw new WebhookRejectedException(400, "body could not be read", null);
        }
        if (root == null || root.isMissingNode()) {
            throw new WebhookRejectedException(400, "empty body: expected a JSON object or array", null);
        }
        List<ConversationWork> work = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new WebhookRejectedException(400, "empty batch: the array names no conversation", null);
            }
            if (root.size() > maxBatch) {
                throw new WebhookRejectedException(400, "batch of " + root.size() + " exceeds " + maxBatch, null);
            }
            for (int i = 0; i < root.size(); i++) {
                work.add(event(root.get(i), "[" + i + "]."));
            }
        } else {
            work.add(event(root, ""));
        }
        return work;
    }

    private ConversationWork event(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new WebhookRejectedException(400, "expected a JSON object", path.isEmpty() ? null : path.substring(0, path.length() - 1));
        }
        if (node.has("detail")) {
            JsonNode detail = node.get("detail");
            if (!detail.isObject()) {
                throw new WebhookRejectedException(400, "detail must be an object", path + "detail");
            }
            return envelope(detail, path + "detail.");
        }
        if (node.has("eventBody")) {
            return envelope(node, path);
        }
        return new ConversationWork(conversationId(node, "conversationId", path), legalHold(node, path), INTAKE_SOURCE);
    }

    private ConversationWork envelope(JsonNode envelope, String path) {
        JsonNode eventBody = envelope.get("eventBody");
        if (eventBody == null || !eventBody.isObject()) {
            throw new WebhookRejectedException(400, "eventBody must be an object", path + "eventBody");
        }
        String idField = eventBody.has("conversationId") ? "conversationId" : "id";
        return new ConversationWork(conversationId(eventBody, idField, path + "eventBody."),
                legalHold(eventBody, path + "eventBody."), INTAKE_SOURCE);
    }

    private static String conversationId(JsonNode node, String field, String path) {
        JsonNode id = node.get(field);
        if (id == null || id.isNull()) {
            throw new WebhookRejectedException(400, "conversationId is missing", path + field);
        }
        if (!id.isTextual() || !UUID.matcher(id.asText()).matches()) {
            throw new WebhookRejectedException(400, "conversationId is not a UUID", path + field);
        }
        return id.asText().toLowerCase(Locale.ROOT);
    }

    private static boolean legalHold(JsonNode node, String path) {
        JsonNode flag = node.get("legalHold");
        if (flag == null || flag.isNull()) {
            return false;
        }
        if (!flag.isBoolean()) {
            throw new WebhookRejectedException(400, "legalHold must be true or false", path + "legalHold");
        }
        return flag.booleanValue();
    }

}
