package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The webhook contract over real HTTP: each bad input gets its status and a JSON error body, and leaves the ledger
 * unchanged; each accepted envelope shape is recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookContractTest {

    private ExporterTestEnvironment environment;

    @BeforeAll
    void start() throws Exception {
        environment = new ExporterTestEnvironment(5, 11);
        // lanes and expansion are not needed to check intake: pause them so only the webhook writes to the ledger
        environment.startExporter(java.util.Map.of("exporter.expand.poll-interval-ms", "3600000"));
    }

    @AfterAll
    void stop() throws Exception {
        environment.close();
    }

    private void assertRefused(HttpResponse<String> reply, int status, String field, String conversationId)
            throws Exception {
        assertEquals(status, reply.statusCode(), "status of " + reply.body());
        assertEquals("application/json", reply.headers().firstValue("Content-Type").orElse(""), "JSON error body");
        JsonNode body = environment.readJson(reply.body().getBytes());
        assertFalse(body.path("error").asText().isBlank(), "error says what is wrong: " + reply.body());
        if (field == null) {
            assertTrue(body.path("field").isNull(), "no field for a whole-request error: " + reply.body());
        } else {
            assertEquals(field, body.path("field").asText(), "field names the offending member");
        }
        assertFalse(reply.body().contains("Exception"), "no stack trace or exception name in the reply");
        assertTrue(reply.headers().firstValue("Authorization").isEmpty(), "the request's credentials are not echoed");
        if (conversationId != null) {
            assertNull(environment.custody(conversationId), "nothing recorded for a refused call");
        }
    }

    @Test
    void missingOrWrongTokenIs401() throws Exception {
        String id = UUID.randomUUID().toString();
        assertRefused(environment.postWebhook(ExporterTestEnvironment.simpleWebhook(id, false), null), 401, null, id);
        assertRefused(environment.postWebhook(ExporterTestEnvironment.simpleWebhook(id, false), "wrong-token"), 401, null, id);
        assertRefused(environment.postWebhook(ExporterTestEnvironment.simpleWebhook(id, false),
                ExporterTestEnvironment.TOKEN + "x"), 401, null, id);
    }

    @Test
    void malformedBodiesAre400() throws Exception {
        String id = UUID.randomUUID().toString();
        assertRefused(environment.postWebhook("{\"conversationId\": \"" + id + "\""), 400, null, id);
        assertRefused(environment.postWebhook(""), 400, null, null);
        assertRefused(environment.postWebhook("[]"), 400, null, null);
        assertRefused(environment.postWebhook("\"just a string\""), 400, null, null);
        assertRefused(environment.postWebhook("{\"something\": \"else\"}"), 400, "conversationId", null);
        assertRefused(environment.postWebhook("{\"conversationId\": \"../../etc/passwd\"}"), 400, "conversationId", null);
        assertRefused(environment.postWebhook("{\"conversationId\": 42}"), 400, "conversationId", null);
        assertRefused(environment.postWebhook("{\"conversationId\": \"" + id + "\", \"legalHold\": \"yes\"}"), 400,
                "legalHold", id);
        assertRefused(environment.postWebhook("{\"topicName\": \"t\", \"eventBody\": {\"id\": \"nope\"}}"), 400,
                "eventBody.id", null);
        assertRefused(environment.postWebhook("{\"detail\": {\"eventBody\": \"x\"}}"), 400, "detail.eventBody", null);
    }

    @Test
    void aFormPostIs415() throws Exception {
        String id = UUID.randomUUID().toString();
        assertRefused(environment.postWebhook("conversationId=" + id, ExporterTestEnvironment.TOKEN,
                "application/x-www-form-urlencoded"), 415, null, id);
        assertRefused(environment.postWebhook(ExporterTestEnvironment.simpleWebhook(id, false),
                ExporterTestEnvironment.TOKEN, "text/plain"), 415, null, id);
        assertEquals(202, environment.postWebhook(ExporterTestEnvironment.simpleWebhook(id, false),
                ExporterTestEnvironment.TOKEN, "application/json; charset=utf-8").statusCode(), "JSON with a charset is fine");
    }

    @Test
    void oneBadMemberRefusesTheWholeBatch() throws Exception {
        String good = UUID.randomUUID().toString();
        assertRefused(environment.postWebhook("[" + ExporterTestEnvironment.simpleWebhook(good, false)
                + ", {\"conversationId\": \"not-a-uuid\"}]"), 400, "[1].conversationId", good);
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        String id = UUID.randomUUID().toString();
        String json = "{\"conversationId\": \"" + id + "\"}";
        String padding = " ".repeat(1024 * 1024 + 1 - json.length());
        assertRefused(environment.postWebhook(json + padding), 413, null, id);
        // far over: the HTTP server stops reading at 1 MiB and refuses it itself
        HttpResponse<String> huge = environment.postWebhook(json + " ".repeat(8 * 1024 * 1024));
        assertEquals(413, huge.statusCode());
        assertNull(environment.custody(id), "nothing recorded");
    }

    @Test
    void everyEnvelopeShapeIsAccepted() throws Exception {
        String plain = UUID.randomUUID().toString();
        String notification = UUID.randomUUID().toString();
        String notificationById = UUID.randomUUID().toString();
        String eventBridge = UUID.randomUUID().toString();
        HttpResponse<String> reply = environment.postWebhook("["
                + "{\"conversationId\": \"" + plain.toUpperCase() + "\", \"legalHold\": true},"
                + "{\"topicName\": \"v2.detail.events.conversation." + notification + ".customer.end\", \"version\": \"2\","
                + " \"eventBody\": {\"conversationId\": \"" + notification + "\"}, \"metadata\": {\"CorrelationId\": \"c\"}},"
                + "{\"topicName\": \"v2.conversations." + notificationById + "\", \"eventBody\": {\"id\": \"" + notificationById + "\"}},"
                + "{\"version\": \"0\", \"detail-type\": \"v2.detail.events.conversation\", \"source\": \"aws.partner/genesys.com\","
                + " \"detail\": {\"topicName\": \"t\", \"eventBody\": {\"conversationId\": \"" + eventBridge + "\"}}}"
                + "]");
        assertEquals(202, reply.statusCode(), reply.body());
        assertEquals("{\"accepted\": 4, \"duplicates\": 0}", reply.body(), "all four shapes recorded");
        JsonNode recorded = environment.custody(plain);
        assertEquals("PENDING", recorded.path("state").asText(), "recorded and waiting to be expanded");
        assertTrue(recorded.path("legalHold").asBoolean(), "legal-hold flag kept");
        for (String id : new String[] {notification, notificationById, eventBridge}) {
            assertEquals("webhook", environment.custody(id).path("intakeSource").asText(), id + " recorded");
        }
    }

    @Test
    void unknownConversationStatusIs404() throws Exception {
        assertNull(environment.custody(UUID.randomUUID().toString()), "an id never received is not known");
    }

    private HttpResponse<String> call(String method, String path, String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(environment.businessUrl() + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theReadingAndRetryEndpointsAnswerUnknownIdsAndBadInputInJson() throws Exception {
        String unknown = UUID.randomUUID().toString();
        HttpResponse<String> conversation = call("GET", "/conversations/" + unknown, ExporterTestEnvironment.READ_TOKEN);
        assertRefused(conversation, 404, "conversationId", null);
        assertTrue(conversation.body().contains("conversation not known to the exporter"), conversation.body());
        HttpResponse<String> export = call("GET", "/exports/" + unknown, ExporterTestEnvironment.READ_TOKEN);
        assertRefused(export, 404, "exportId", null);
        assertTrue(export.body().contains("no backfill export with this id"), export.body());

        assertRefused(call("POST", "/recordings/" + unknown + "/retry", null), 401, null, null);
        assertRefused(call("POST", "/recordings/not-a-uuid/retry", ExporterTestEnvironment.TOKEN), 400,
                "recordingId", null);
        assertRefused(call("POST", "/recordings/" + unknown + "/retry", ExporterTestEnvironment.TOKEN), 404,
                "recordingId", null);
    }

    /**
     * The read endpoints name legal holds and S3 keys: they take the read token only (not the webhook token, not
     * none), and no endpoint takes a credential from the URL, right or wrong.
     */
    @Test
    void readEndpointsNeedTheReadTokenAndNoCredentialIsTakenFromTheUrl() throws Exception {
        String id = environment.org().conversations().get(0).id();
        for (String path : List.of("/conversations/" + id, "/exports/" + UUID.randomUUID())) {
            assertRefused(call("GET", path, null), 401, null, null);
            assertRefused(call("GET", path, ExporterTestEnvironment.TOKEN), 401, null, null);
            assertRefused(call("GET", path + "?Authorization=Bearer%20" + ExporterTestEnvironment.READ_TOKEN, null),
                    400, "Authorization", null);
            assertRefused(call("GET", path + "?access_token=" + ExporterTestEnvironment.READ_TOKEN,
                    ExporterTestEnvironment.READ_TOKEN), 400, "access_token", null);
        }
        HttpResponse<String> inUrl = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(environment.businessUrl() + "/webhooks/genesys?Authorization=Bearer%20"
                        + ExporterTestEnvironment.TOKEN)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"conversationId\": \"" + id + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(inUrl, 400, "Authorization", id);
    }

    /** Two parsers of one body must not see two requests: duplicate keys and trailing tokens are refused. */
    @Test
    void duplicateKeysAndTrailingTokensAre400() throws Exception {
        String id = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        assertRefused(environment.postWebhook("{\"conversationId\": \"" + id + "\", \"conversationId\": \"" + other
                + "\"}"), 400, null, id);
        assertNull(environment.custody(other));
        assertRefused(environment.postWebhook("{\"conversationId\": \"" + id + "\"} {\"conversationId\": \"" + other
                + "\"}"), 400, null, id);
        assertNull(environment.custody(other));
    }
}
