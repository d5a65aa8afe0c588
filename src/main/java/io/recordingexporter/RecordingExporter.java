package io.recordingexporter;

import io.recordingexporter.settings.InvalidSettingsException;
import io.recordingexporter.wiring.NodeIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.camel.main.Main;

/**
 * Starts the exporter: Camel Main with the YAML routes of {@code routes/} and the properties of
 * {@code config/application.properties}, read from the working directory when they are there and from the jar
 * otherwise. The verifier sub-commands ({@link Verifiers}) and {@code rescue-bulk-job} ({@link BulkJobRescueCommand})
 * run instead when named first. {@code --sandbox} hands the
 * whole command line to the sandbox ({@link SandboxLauncher}), which is not part of the service.
 */
public final class RecordingExporter {

    static final String ROUTES_DIR = "routes";
    static final String CONFIG_FILE = "config/application.properties";

    private RecordingExporter() {}

    public static void main(String[] args) throws Exception {
        List<String> options = new ArrayList<>(Arrays.asList(args));
        if (options.remove("--sandbox")) {
            System.exit(launchSandbox(options));
        }
        if (!options.isEmpty() && options.get(0).equals("rescue-bulk-job")) {
            try {
                System.exit(BulkJobRescueCommand.main(options.subList(1, options.size()).toArray(String[]::new)));
            } catch (InvalidSettingsException e) {
                System.err.println("rescue-bulk-job: " + e.getMessage());
                System.exit(2);
            }
        }
        if (!options.isEmpty() && options.get(0).startsWith("verify-")) {
            try (VerifierSources sources = VerifierSources.fromConfiguration()) {
                System.exit(verify(options, sources));
            } catch (InvalidSettingsException e) {
                System.err.println(options.get(0) + ": " + e.getMessage());
                System.exit(2);
            }
        }
        if (options.remove("--exit-when-idle")) {
            System.err.println("--exit-when-idle applies to --sandbox runs only");
            System.exit(2);
        }
        Main main = newMain();
        try {
            main.run(options.toArray(String[]::new));
        } catch (InvalidSettingsException | NodeIdentity.DataFolderInUseException e) {
            System.err.println("recording-exporter does not start: " + e.getMessage());
            System.exit(2);
        }
        System.exit(main.getExitCode());
    }

    /**
     * Runs a verifier sub-command ({@code args} starts with its name) against {@code sources}; exit code 2 for a name
     * that is not one.
     */
    public static int verify(List<String> args, VerifierSources sources) {
        String[] rest = args.subList(1, args.size()).toArray(String[]::new);
        return switch (args.get(0)) {
            case "verify-audit" -> Verifiers.verifyAudit(rest, sources);
            case "verify-export" -> Verifiers.verifyExport(rest, sources);
            case "verify-completeness" -> Verifiers.verifyCompleteness(rest, sources);
            default -> {
                System.err.println("unknown command " + args.get(0)
                        + ": verify-audit, verify-export or verify-completeness");
                yield 2;
            }
        };
    }

    private static int launchSandbox(List<String> args) throws Exception {
        Optional<SandboxLauncher> sandbox = SandboxLauncher.find();
        if (sandbox.isEmpty()) {
            Path expected = SandboxLauncher.besideServiceJar();
            System.err.println("--sandbox: this build has no sandbox" + (expected == null ? "" : " (" + expected
                    + " is missing)") + "; the service image leaves it out. Build it with mvn -B package -DskipTests,"
                    + " or the image with docker build --target sandbox");
            return 2;
        }
        return sandbox.get().launch(args);
    }

    /** The configuration file: the working directory's when there is one, else the jar's. */
    static String configLocation() {
        return Files.isRegularFile(Path.of(CONFIG_FILE)) ? "file:" + CONFIG_FILE : "classpath:" + CONFIG_FILE;
    }

    /** Camel Main set up as the service runs it; tests and the sandbox start the same one with overrides. */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(ExporterBeans.class);
        main.setDefaultPropertyPlaceholderLocation(configLocation());
        main.configure().withRoutesIncludePattern(Files.isDirectory(Path.of(ROUTES_DIR))
                ? "file:" + ROUTES_DIR + "/*.yaml" : "classpath:" + ROUTES_DIR + "/*.yaml");
        return main;
    }
}
