package io.recordingexporter;

import io.recordingexporter.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.main.Main;

/**
 * Starts the exporter: Camel Main with the YAML routes of {@code routes/} and the properties of
 * {@code config/application.properties}, read from the working directory when they are there and from the jar
 * otherwise. {@code --sandbox} runs it against the built-in simulated Genesys org, S3 server and ServiceNow sink;
 * {@code --exit-when-idle} then stops once the backlog is exported.
 */
public final class RecordingExporter {

    static final String ROUTES_DIR = "routes";
    static final String CONFIG_FILE = "config/application.properties";

    private RecordingExporter() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("verify-audit")) {
            System.exit(Verifiers.verifyAudit(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("verify-export")) {
            System.exit(Verifiers.verifyExport(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("verify-completeness")) {
            System.exit(Verifiers.verifyCompleteness(Arrays.copyOfRange(args, 1, args.length)));
        }
        List<String> options = new ArrayList<>(Arrays.asList(args));
        boolean sandboxMode = options.remove("--sandbox");
        boolean exitWhenIdle = options.remove("--exit-when-idle");
        Main main = newMain();
        Sandbox sandbox = null;
        if (sandboxMode) {
            sandbox = Sandbox.start(Sandbox.Options.fromEnvironment(), Path.of("data"));
            sandbox.exporterProperties().forEach(main::addOverrideProperty);
            main.addMainListener(sandbox.listener(main, exitWhenIdle));
        } else if (exitWhenIdle) {
            System.err.println("--exit-when-idle applies to --sandbox runs only");
            System.exit(2);
        }
        try {
            main.run(options.toArray(String[]::new));
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
        System.exit(main.getExitCode());
    }

    /** Camel Main set up as the service runs it; tests start the same one with overrides. */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(ExporterBeans.class);
        main.setDefaultPropertyPlaceholderLocation(Files.isRegularFile(Path.of(CONFIG_FILE))
                ? "file:" + CONFIG_FILE : "classpath:" + CONFIG_FILE);
        main.configure().withRoutesIncludePattern(Files.isDirectory(Path.of(ROUTES_DIR))
                ? "file:" + ROUTES_DIR + "/*.yaml" : "classpath:" + ROUTES_DIR + "/*.yaml");
        return main;
    }
}
