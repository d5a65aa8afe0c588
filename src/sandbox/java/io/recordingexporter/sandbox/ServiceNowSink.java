package io.recordingexporter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ServiceNow stand-in for the sandbox: the Table API's incident table on loopback. Incidents posted to it are kept,
 * logged and counted; a GET with {@code correlation_id} in {@code sysparm_query} finds the active ones.
 */
public final class ServiceNowSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceNowSink.class);
    private static final String TABLE = "/api/now/table/incident";

    private final ObjectMapper json = new ObjectMapper();
    private final List<ObjectNode> incidents = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile SandboxFaults faults = SandboxFaults.none();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    public ServiceNowSink(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext(TABLE, this::handle);
    }

    /** {@code servicenow-down}: every call answers 503 for the fault's window. */
    public ServiceNowSink withFaults(SandboxFaults injected) {
        this.faults = injected;
        return this;
    }

    /** Calls refused while the sink was down. */
    public long refused() {
        return refused.get();
    }

    public ServiceNowSink start() {
        server.start();
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ObjectNode> incidents() {
        return List.copyOf(incidents);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (faults.within("servicenow-down")) {
                refused.incrementAndGet();
                respond(exchange, 503, Map.of("error", Map.of("message", "Service Unavailable")));
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "POST" -> {
                    ObjectNode incident = (ObjectNode) json.readTree(exchange.getRequestBody());
                    incident.put("sys_id", UUID.randomUUID().toString().replace("-", ""));
                    incident.put("number", String.format("INC%07d", incidents.size() + 1));
                    incident.put("active", "true");
                    incidents.add(incident);
                    LOG.warn("ServiceNow incident {} raised: {} ({})", incident.path("number").asText(),
                            incident.path("short_description").asText(), incident.path("correlation_id").asText());
                    respond(exchange, 201, Map.of("result", incident));
                }
                case "GET" -> {
                    String query = exchange.getRequestURI().getQuery();
                    List<JsonNode> found = incidents.stream()
                            .filter(incident -> "true".equals(incident.path("active").asText()))
                            .filter(incident -> query == null
                                    || query.contains("correlation_id=" + incident.path("correlation_id").asText("\u0000")))
                            .map(JsonNode.class::cast)
                            .toList();
                    respond(exchange, 200, Map.of("result", found));
                }
                case "PATCH" -> {
                    String sysId = exchange.getRequestURI().getPath().substring(TABLE.length()).replace("/", "");
                    ObjectNode update = (ObjectNode) json.readTree(exchange.getRequestBody());
                    ObjectNode incident = incidents.stream().filter(i -> i.path("sys_id").asText().equals(sysId))
                            .findFirst().orElse(null);
                    if (incident == null) {
                        respond(exchange, 404, Map.of("error", Map.of("message", "No Record found")));
                        return;
                    }
                    String notes = incident.path("work_notes").asText("");
                    incident.put("work_notes", notes + (notes.isEmpty() ? "" : "\n") + update.path("work_notes").asText());
                    LOG.warn("ServiceNow incident {} work note: {}", incident.path("number").asText(),
                            update.path("work_notes").asText().lines().findFirst().orElse(""));
                    respond(exchange, 200, Map.of("result", incident));
                }
                default -> respond(exchange, 405, Map.of("error", Map.of("message", "method not allowed")));
            }
        }
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
