package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 10,000 generated webhook bodies with the right token: valid ones (naming the org's conversations), and truncated,
 * deeply nested, huge-numbered, wrongly typed, oddly encoded, duplicated-key, trailing-token, oversized and random
 * ones, each naming fresh conversation ids of its own. Not one 5xx; every refusal a 4xx; and the ledger holds exactly
 * the conversations the accepted bodies named: nothing of any refused body was written.
 */
class WebhookFuzzAcceptance {

    private static final int BODIES = 10_000;

    @Test
    void tenThousandGeneratedBodiesGetNo5xxAndRefusedOnesWriteNothing() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(3, 61)) {
            // the org's conversations are exported as valid bodies name them; nothing else should be
            environment.startExporter(Map.of("exporter.poll.enabled", "false"));
            List<String> known = environment.org().conversations().stream().map(c -> c.id()).toList();
            SplittableRandom random = new SplittableRandom(20261202L);
            HttpClient http = HttpClient.newHttpClient();
            Map<Integer, Integer> statuses = new TreeMap<>();
            Set<String> accepted = new HashSet<>();
            Set<String> refused = new HashSet<>();
            List<String> serverErrors = new ArrayList<>();
            for (int i = 0; i < BODIES; i++) {
                String fresh = UUID.randomUUID().toString();
                boolean valid = i % 10 == 0;
                byte[] body = valid ? validBody(known.get(random.nextInt(known.size())), random)
                        : hostileBody(fresh, random);
                HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(environment.businessUrl()
                        + "/webhooks/genesys")).header("Authorization", "Bearer " + ExporterTestEnvironment.TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                statuses.merge(reply.statusCode(), 1, Integer::sum);
                if (reply.statusCode() >= 500) {
                    serverErrors.add(reply.statusCode() + " for " + preview(body));
                } else if (reply.statusCode() == 202) {
                    (valid ? accepted : refused).add(valid ? "" : fresh); // a hostile body accepted: caught below
                    if (!valid) {
                        serverErrors.add("accepted a hostile body: " + preview(body));
                    }
                } else {
                    assertTrue(reply.statusCode() >= 400 && reply.statusCode() < 500, reply.statusCode() + " for "
                            + preview(body));
                    if (valid) {
                        serverErrors.add("refused a valid body: " + reply.statusCode() + " " + reply.body());
                    }
                    refused.add(fresh);
                }
            }
            System.out.println("webhook fuzz: " + BODIES + " bodies, statuses " + statuses);
            assertEquals(List.of(), serverErrors);
            Set<String> inLedger = new HashSet<>();
            environment.exporterLedger().store().inTransaction(connection -> {
                try (ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT conversation_id FROM conversation_work")) {
                    while (rows.next()) {
                        inLedger.add(rows.getString(1));
                    }
                }
                return null;
            });
            assertEquals(new HashSet<>(known), inLedger, "the ledger holds the valid bodies' conversations and no"
                    + " conversation of a refused body (" + refused.size() + " refused)");
            environment.stopExporter();
        }
    }

    private static byte[] validBody(String conversationId, SplittableRandom random) {
        String body = switch (random.nextInt(3)) {
            case 0 -> "{\"conversationId\": \"" + conversationId + "\"}";
            case 1 -> "{\"topicName\": \"v2.detail.events.conversation." + conversationId + ".customer.end\","
                    + " \"version\": \"2\", \"eventBody\": {\"conversationId\": \"" + conversationId + "\"}}";
            default -> "[{\"detail\": {\"eventBody\": {\"id\": \"" + conversationId.toUpperCase() + "\"}}}]";
        };
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** A body that must be refused, naming {@code fresh} somewhere. */
    private static byte[] hostileBody(String fresh, SplittableRandom random) {
        String good = "{\"conversationId\": \"" + fresh + "\"}";
        return switch (random.nextInt(16)) {
            case 0 -> good.substring(0, random.nextInt(good.length() - 1)).getBytes(StandardCharsets.UTF_8);
            case 1 -> nested(fresh, 2 + random.nextInt(3000)); // [[{...}]] and deeper: no object at the top
            case 2 -> ("{\"conversationId\": \"" + fresh + "\", \"legalHold\": " + "9".repeat(1 + random.nextInt(5000))
                    + "}").getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"conversationId\": \"" + fresh + "\", \"legalHold\": 1e999999}").getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"conversationId\": " + wrongType(fresh, random) + "}").getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"conversationId\": \"" + fresh + "\", \"legalHold\": \"yes\"}").getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{\"conversationId\": \"" + fresh + "\", \"conversationId\": \"" + UUID.randomUUID() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            case 7 -> (good + (random.nextBoolean() ? " {}" : ", \"x\"")).getBytes(StandardCharsets.UTF_8);
            case 8 -> withInvalidUtf8(good, random);
            case 9 -> ("{\"conversationId\": \"" + fresh.replace('-', '\u2010') + "\"}").getBytes(StandardCharsets.UTF_8);
            case 10 -> ("[" + good + ", {\"conversationId\": \"" + fresh.substring(1) + "\"}]").getBytes(StandardCharsets.UTF_8);
            case 11 -> batchOver(fresh);
            case 12 -> ("{\"eventBody\": \"" + fresh + "\"}").getBytes(StandardCharsets.UTF_8);
            case 13 -> ("{\"conversationId\": \"" + fresh + "\u0000\"}").getBytes(StandardCharsets.UTF_8);
            case 14 -> randomBytes(fresh, random);
            default -> ("{\"detail\": [" + good + "]}").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] nested(String fresh, int depth) {
        StringBuilder body = new StringBuilder();
        body.append("[".repeat(depth)).append("{\"conversationId\": \"").append(fresh).append("\"}")
                .append("]".repeat(depth));
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String wrongType(String fresh, SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> "12345";
            case 1 -> "[\"" + fresh + "\"]";
            case 2 -> "{\"id\": \"" + fresh + "\"}";
            case 3 -> "true";
            default -> "null";
        };
    }

    /** A byte that is no UTF-8 in the middle of the id. */
    private static byte[] withInvalidUtf8(String good, SplittableRandom random) {
        byte[] bytes = good.getBytes(StandardCharsets.UTF_8);
        int at = good.indexOf(':') + 4 + random.nextInt(30);
        bytes[at] = (byte) (0x80 + random.nextInt(0x40));
        return bytes;
    }

    private static byte[] batchOver(String fresh) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            body.append(i == 0 ? "" : ",").append("{\"conversationId\": \"").append(i == 0 ? fresh : UUID.randomUUID())
                    .append("\"}");
        }
        return body.append("]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(String fresh, SplittableRandom random) {
        byte[] noise = new byte[1 + random.nextInt(2000)];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) random.nextInt(256);
        }
        // a fresh id after the noise: a parser that skipped the noise would find it
        byte[] id = ("{\"conversationId\": \"" + fresh + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[noise.length + id.length];
        System.arraycopy(noise, 0, body, 0, noise.length);
        System.arraycopy(id, 0, body, noise.length, id.length);
        if (body[0] == '{' || body[0] == '[' || body[0] == ' ') {
            body[0] = 'x';
        }
        return body;
    }

    private static String preview(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "… (" + body.length + " bytes)" : text;
    }
}
