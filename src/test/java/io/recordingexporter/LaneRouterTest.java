package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.ScratchFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The content-based router of routes/route-by-lane.yaml, run by Camel Main with the real routes, configuration and
 * beans: every kind of recording, with and without legal hold, lands in its lane's queue in the ledger. One context
 * for the class: each case routes a conversation of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LaneRouterTest extends CamelMainTestSupport {

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(ExporterBeans.class);
        configuration.withRoutesIncludePattern("file:routes/*.yaml");
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:config/application.properties";
    }

    private Path scratch;

    @AfterAll
    void removeScratch() throws IOException {
        ScratchFolder.delete(scratch);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        try {
            // made here: the context (and so this) comes before any @BeforeAll
            scratch = Files.createTempDirectory("lane-router");
            Path dir = scratch;
            Properties overrides = new Properties();
            overrides.put("exporter.db.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            overrides.put("exporter.audit.dir", dir.resolve("audit").toString());
            overrides.put("exporter.spool-dir", dir.resolve("spool").toString());
            overrides.put("exporter.s3.object-lock", "off");
            overrides.put("camel.server.port", Integer.toString(Sandbox.freePort()));
            overrides.put("camel.management.port", Integer.toString(Sandbox.freePort()));
            // the lanes must not take the queued items away before the test reads them
            overrides.put("exporter.lane.poll-interval-ms", "3600000");
            overrides.put("exporter.expand.poll-interval-ms", "3600000");
            return overrides;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0} with legal hold {1} -> {2}")
    @CsvSource({
        "audio,   false, voice",
        "audio,   true,  voice",
        "screen,  false, screen",
        "screen,  true,  screen-legal-hold",
        "chat,    false, digital",
        "message, true,  digital",
        "email,   false, digital",
        "callback, false, digital"
    })
    void eachRecordingLandsInItsLane(String media, boolean legalHold, String expectedLane) {
        Ledger ledger = context.getRegistry().lookupByNameAndType("ledger", Ledger.class);
        String conversationId = UUID.randomUUID().toString();
        ledger.intake().recordIntake(List.of(new ConversationWork(conversationId, legalHold, "webhook")));
        RecordingItem item = new RecordingItem(UUID.randomUUID().toString(), conversationId, media, null, legalHold,
                legalHold ? "webhook" : null, Instant.parse("2026-11-20T08:00:00Z"), "{}", 0, null);

        template.sendBody("direct:route-by-lane", item);

        var queued = ledger.status().custodyOf(conversationId).recordings();
        assertEquals(1, queued.size(), "one queued item");
        assertEquals(expectedLane, queued.get(0).lane(), "lane of " + media + (legalHold ? " under hold" : ""));
        assertEquals("PENDING", queued.get(0).state(), "queued for its lane");
    }

}
