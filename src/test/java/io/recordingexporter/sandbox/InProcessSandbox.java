package io.recordingexporter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.RecordingExporter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Runs the sandbox as {@code --sandbox --exit-when-idle} does, in this JVM, on free loopback ports and with its
 * ledger, audit trail and spool under {@code dir}; returns {@code sandbox-summary.json}. Conversations missing a
 * recording are listed again after 2 s instead of a minute, so tests with late screen recordings stay short.
 */
public final class InProcessSandbox {

    private InProcessSandbox() {}

    public static JsonNode run(Sandbox.Options options, Path dir, Map<String, String> overrides) throws Exception {
        return run(options, dir, overrides, sandbox -> { });
    }

    /**
     * As {@link #run(Sandbox.Options, Path, Map)}, with {@code onceStarted} given the sandbox when the exporter has
     * started, before the first webhook.
     */
    public static JsonNode run(Sandbox.Options options, Path dir, Map<String, String> overrides,
            Consumer<Sandbox> onceStarted) throws Exception {
        try (Sandbox sandbox = Sandbox.start(options, dir)) {
            Main main = RecordingExporter.newMain();
            Map<String, String> properties = new HashMap<>(sandbox.exporterProperties());
            properties.put("camel.server.port", Integer.toString(Sandbox.freePort()));
            properties.put("camel.server.host", "127.0.0.1");
            properties.put("camel.management.port", Integer.toString(Sandbox.freePort()));
            properties.put("camel.management.host", "127.0.0.1");
            properties.put("exporter.db.url", "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
            properties.put("exporter.audit.dir", dir.resolve("audit").toString());
            properties.put("exporter.spool-dir", dir.resolve("spool").toString());
            // late screen recordings are looked for again within seconds, not the production minute
            properties.put("exporter.relist.missing-seconds", "2");
            properties.putAll(overrides);
            properties.forEach(main::addOverrideProperty);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport started) {
                    onceStarted.accept(sandbox);
                }
            });
            main.addMainListener(sandbox.listener(main, true));
            main.run();
            return new ObjectMapper().readTree(dir.resolve("sandbox-summary.json").toFile());
        }
    }

}
