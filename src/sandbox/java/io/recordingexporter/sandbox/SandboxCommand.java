package io.recordingexporter.sandbox;

import io.recordingexporter.RecordingExporter;
import io.recordingexporter.SandboxLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.main.Main;

/**
 * The sandbox's command line, reached through {@code java -jar recording-exporter.jar --sandbox …} or its own main:
 * the service against the simulated parts (with {@code --exit-when-idle}, stop once the backlog is exported), or a
 * verifier sub-command reading the sandbox's S3, ledger and simulated org under {@code ./data}.
 */
public final class SandboxCommand implements SandboxLauncher {

    public static void main(String[] args) throws Exception {
        List<String> options = new ArrayList<>(Arrays.asList(args));
        options.remove("--sandbox");
        System.exit(new SandboxCommand().launch(options));
    }

    @Override
    public int launch(List<String> args) throws Exception {
        List<String> options = new ArrayList<>(args);
        Path data = Path.of("data");
        if (!options.isEmpty() && options.get(0).startsWith("verify-")) {
            try (SandboxVerifierSources sources = new SandboxVerifierSources(data)) {
                return RecordingExporter.verify(options, sources);
            }
        }
        boolean exitWhenIdle = options.remove("--exit-when-idle");
        Main main = RecordingExporter.newMain();
        try (Sandbox sandbox = Sandbox.start(Sandbox.Options.fromEnvironment(), data)) {
            sandbox.exporterProperties().forEach(main::addOverrideProperty);
            main.addMainListener(sandbox.listener(main, exitWhenIdle));
            main.run(options.toArray(String[]::new));
        }
        return main.getExitCode();
    }
}
