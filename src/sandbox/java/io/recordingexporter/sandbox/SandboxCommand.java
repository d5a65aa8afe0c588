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

    private static final int MAX_REPLICAS = 8;

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
        logToFile(data);
        if (options.contains("--replicas")) {
            int replicas = replicas(options);
            if (replicas < 1) {
                System.err.println("--replicas takes a whole number from 1 to " + MAX_REPLICAS);
                return 2;
            }
            return runCluster(replicas, exitWhenIdle, data);
        }
        Main main = RecordingExporter.newMain();
        try (Sandbox sandbox = Sandbox.start(Sandbox.Options.fromEnvironment(), data)) {
            sandbox.exporterProperties().forEach(main::addOverrideProperty);
            main.addMainListener(sandbox.listener(main, exitWhenIdle));
            main.run(options.toArray(String[]::new));
        }
        return main.getExitCode();
    }

    /**
     * The console keeps the banner, progress and summary; everything logged goes to {@code data/sandbox.log} (the
     * replicas of {@code --replicas} log to their own folders).
     */
    private static void logToFile(Path data) throws java.io.IOException, java.net.URISyntaxException {
        java.nio.file.Files.createDirectories(data);
        Path log = data.toAbsolutePath().resolve("sandbox.log");
        System.setProperty("sandbox.log.file", log.toString());
        java.net.URI configuration = SandboxCommand.class.getResource("log4j2-sandbox.xml").toURI();
        // Log4j keeps a context per class loader: the service's classes and the sandbox's (loaded from the sandbox jar)
        for (ClassLoader loader : java.util.List.of(RecordingExporter.class.getClassLoader(),
                SandboxCommand.class.getClassLoader())) {
            ((org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(loader, false))
                    .setConfigLocation(configuration);
        }
        System.out.println("Logging to " + log + " (the console shows the sandbox's progress)");
    }

    /** {@code --replicas N} (removed from the options); 0 when N is not a number in range. */
    private static int replicas(List<String> options) {
        int at = options.indexOf("--replicas");
        String value = at + 1 < options.size() ? options.remove(at + 1) : "";
        options.remove(at);
        try {
            int replicas = Integer.parseInt(value);
            return replicas >= 1 && replicas <= MAX_REPLICAS ? replicas : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The simulated parts and PostgreSQL here, and N replica processes of the service beside this one. */
    private static int runCluster(int replicas, boolean exitWhenIdle, Path data) throws Exception {
        try (Sandbox sandbox = Sandbox.start(Sandbox.Options.fromEnvironment(), data);
                SandboxCluster cluster = SandboxCluster.start(sandbox, data, replicas,
                        SandboxCluster.sandboxStorage(sandbox), java.util.Map.of())) {
            Thread stopper = new Thread(() -> {
                try {
                    cluster.close();
                } catch (Exception e) {
                    System.err.println("Stopping the replicas: " + e.getMessage());
                }
            }, "sandbox-cluster-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            cluster.run(exitWhenIdle);
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
        return 0;
    }
}
