package io.recordingexporter.wiring;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

/**
 * The management port answers what probes and Prometheus ask, and nothing else: GET or HEAD of the health endpoints
 * and the metrics, without query parameters. Camel's health endpoint would otherwise give anyone who can reach the
 * port every check's details and stack traces for {@code ?exposureLevel=full&stackTrace=true}, and its other paths
 * (info, dev consoles) answer with errors. The health replies themselves are one line ({@code camel.health.
 * exposure-level}, EXPORTER_HEALTH_EXPOSURE_LEVEL). Put in front of Camel's own routes once the server is up.
 */
public final class ManagementGate {

    private static final Set<String> SERVED = Set.of("/observe/health", "/observe/health/live",
            "/observe/health/ready", "/observe/metrics");

    private ManagementGate() {}

    public static void install(CamelContext context) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the management server starts with the context: its router exists from here on
                ManagementHttpServer server = started.hasService(ManagementHttpServer.class);
                if (server != null && server.getRouter() != null) {
                    server.getRouter().route().order(-1000).handler(ManagementGate::screen);
                }
            }
        });
    }

    private static void screen(RoutingContext request) {
        String path = request.normalizedPath();
        HttpMethod method = request.request().method();
        if (!SERVED.contains(path)) {
            refuse(request, 404, "not served on the management port");
        } else if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            refuse(request, 405, "GET only");
        } else if (request.request().query() != null) {
            refuse(request, 400, "the management port takes no query parameters");
        } else {
            request.next();
        }
    }

    private static void refuse(RoutingContext request, int status, String error) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end("{\"error\": \"" + error + "\"}");
    }
}
