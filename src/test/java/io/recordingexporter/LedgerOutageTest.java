package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

/**
 * The ledger on a database server that goes away: the webhook answers 503 (so Genesys retries) and records nothing;
 * once the database is back, the retried call is accepted and exported.
 */
class LedgerOutageTest {

    @Test
    void webhookAnswers503WhileTheLedgerIsDownAndAcceptsOnceItIsBack() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(3, 31)) {
            int port = ExporterTestEnvironment.freePort();
            String[] serverArgs = {"-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir",
                    environment.dir().resolve("db-server").toString()};
            Server database = Server.createTcpServer(serverArgs).start();
            environment.startExporter(Map.of("exporter.db.url", "jdbc:h2:tcp://127.0.0.1:" + port + "/ledger;DB_CLOSE_ON_EXIT=FALSE"));
            String conversationId = environment.org().conversations().get(0).id();

            database.stop();
            HttpResponse<String> refused = environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversationId, false));
            assertEquals(503, refused.statusCode(), "ledger down: " + refused.body());
            assertTrue(refused.body().contains("\"error\""), "JSON error body: " + refused.body());

            database = Server.createTcpServer(serverArgs).start();
            try {
                // as Genesys does: retry the call until the exporter accepts it (pooled connections to the old
                // server may fail once more before the pool replaces them)
                HttpResponse<String> accepted = refused;
                for (int attempt = 0; attempt < 20 && accepted.statusCode() == 503; attempt++) {
                    Thread.sleep(500);
                    accepted = environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversationId, false));
                }
                assertEquals(202, accepted.statusCode(), "ledger back: " + accepted.body());
                assertEquals("{\"accepted\": 1, \"duplicates\": 0}", accepted.body(),
                        "the refused call had recorded nothing, so the retry is new work");
                environment.awaitCustody(conversationId, ExporterTestEnvironment::allStored, Duration.ofSeconds(60));
            } finally {
                environment.stopExporter();
                database.stop();
            }
        }
    }
}
