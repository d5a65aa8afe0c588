package io.recordingexporter;

import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.TcpRelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

/**
 * The ledger's database becomes unreachable: the webhook answers 503 (so Genesys retries) and records nothing; once
 * the database is reachable again, the retried call is accepted and exported.
 */
class LedgerOutageTest {

    @Test
    void webhookAnswers503WhileTheLedgerIsDownAndAcceptsOnceItIsBack() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(3, 31)) {
            int databasePort = Sandbox.freePort();
            Process database = startDatabaseServer(databasePort, environment.dir().resolve("db-server"));
            try (TcpRelay network = new TcpRelay(Sandbox.freePort(), databasePort)) {
                environment.startExporter(Map.of("exporter.db.url", "jdbc:h2:tcp://127.0.0.1:" + network.port()
                        + "/ledger"));
                refusedWhileDownAcceptedOnceBack(environment, network);
            } finally {
                database.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The same with the shared PostgreSQL ledger replicas use, where the audit entries the ledger relies on are copied
     * into the ledger as well: the outage holds them back too, and the export completes once it is over.
     */
    @Test
    void theSameWithAPostgresLedger() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(3, 32)) {
            String url = TestPostgres.newDatabase();
            int databasePort = java.net.URI.create(url.substring("jdbc:".length())).getPort();
            try (TcpRelay network = new TcpRelay(Sandbox.freePort(), databasePort)) {
                environment.startExporter(Map.of("exporter.db.url", url.replace(":" + databasePort + "/", ":"
                        + network.port() + "/"), "exporter.db.user", TestPostgres.USER, "exporter.db.password", ""));
                refusedWhileDownAcceptedOnceBack(environment, network);
            }
        }
    }

    private static void refusedWhileDownAcceptedOnceBack(ExporterTestEnvironment environment, TcpRelay network)
            throws Exception {
        String conversationId = environment.org().conversations().get(0).id();
        network.cut();
        HttpResponse<String> refused = environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversationId,
                false));
        assertEquals(503, refused.statusCode(), "ledger unreachable: " + refused.body());
        assertTrue(refused.body().contains("\"error\""), "JSON error body: " + refused.body());

        network.restore();
        // as Genesys does: retry the call until the exporter accepts it (pooled connections cut by the outage may
        // fail once more before the pool replaces them)
        HttpResponse<String> accepted = refused;
        for (int attempt = 0; attempt < 20 && accepted.statusCode() == 503; attempt++) {
            Thread.sleep(500);
            accepted = environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversationId, false));
        }
        assertEquals(202, accepted.statusCode(), "ledger back: " + accepted.body());
        assertEquals("{\"accepted\": 1, \"duplicates\": 0}", accepted.body(),
                "the refused call had recorded nothing, so the retry is new work");
        environment.awaitCustody(conversationId, ExporterTestEnvironment::allStored, Duration.ofSeconds(60));
        environment.stopExporter();
    }

    /** An H2 database server in a process of its own, as a real database would be. */
    private static Process startDatabaseServer(int port, Path baseDir) throws Exception {
        String h2Jar = new File(Server.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", h2Jar, "org.h2.tools.Server", "-tcp", "-tcpPort",
                Integer.toString(port), "-ifNotExists", "-baseDir", baseDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return server;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        server.destroyForcibly();
        throw new AssertionError("the database server did not start on port " + port);
    }
}
