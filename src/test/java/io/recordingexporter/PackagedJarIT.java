package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as users run it ({@code java -jar target/recording-exporter.jar}, its own manifest classpath of
 * {@code target/lib}), not the test classpath: a Camel component the routes use but the build does not ship fails
 * here. Runs the sandbox to the end, then checks the audit trail with {@code verify-audit} from the same jar.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target/recording-exporter.jar").toAbsolutePath();

    private static Process run(Path dir, Path log, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = JAR.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("SANDBOX_CONVERSATIONS", "30");
        // late screen recordings within seconds, looked for again within seconds
        env.put("SANDBOX_LATE_SCREEN_SECONDS", "5");
        env.put("EXPORTER_RELIST_MISSING_SECONDS", "2");
        env.put("EXPORTER_HTTP_PORT", Integer.toString(Sandbox.freePort()));
        env.put("EXPORTER_MANAGEMENT_PORT", Integer.toString(Sandbox.freePort()));
        return builder.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    @Test
    void theJarRunsTheSandboxToTheEndAndVerifiesItsAuditTrail(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "mvn package built " + JAR);
        Path log = dir.resolve("run.log");
        Process sandbox = run(dir, log, "--sandbox", "--exit-when-idle");
        assertTrue(sandbox.waitFor(300, TimeUnit.SECONDS), "the sandbox finished");
        assertEquals(0, sandbox.exitValue(), Files.readString(log));
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("data/sandbox-summary.json").toFile());
        assertEquals(summary.path("recordings").asInt(), summary.path("verification").path("verified").asInt(),
                summary.toString());

        Process verify = run(dir, log, "verify-audit", "--sandbox");
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, verify.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("against 1 digest(s): OK"), "the digest written at shutdown vouches for the trail");

        Process export = run(dir, log, "verify-export", "--sandbox", "--from", "2000-01-01T00:00:00Z", "--to",
                "2100-01-01T00:00:00Z");
        assertTrue(export.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, export.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains(summary.path("recordings").asInt() + " recording(s) checked, 0 problem(s): OK"),
                Files.readString(log));

        // a crash mid-write leaves a torn last line: the service still starts, cuts it, audits the repair
        List<Path> trail = io.recordingexporter.audit.AuditTrail.files(dir.resolve("data/audit"));
        Files.write(trail.get(trail.size() - 1), "{\"seq\":99999,\"event\":\"STO".getBytes(),
                java.nio.file.StandardOpenOption.APPEND);
        Process again = run(dir, log, "--sandbox", "--exit-when-idle");
        assertTrue(again.waitFor(300, TimeUnit.SECONDS), "the sandbox started on a torn trail and finished");
        assertEquals(0, again.exitValue(), Files.readString(log));
        Files.writeString(log, "");
        Process repaired = run(dir, log, "verify-audit", "--sandbox");
        assertTrue(repaired.waitFor(60, TimeUnit.SECONDS));
        String verdict = Files.readString(log);
        assertEquals(0, repaired.exitValue(), verdict);
        assertTrue(verdict.contains(": OK") && verdict.contains("1 repair(s) of a torn tail"), verdict);

        // accounted for: Genesys (the simulated org) lists nothing the export lacks
        Files.writeString(log, "");
        Process complete = run(dir, log, "verify-completeness", "--sandbox", "--from", "2000-01-01T00:00:00Z", "--to",
                "2100-01-01T00:00:00Z");
        assertTrue(complete.waitFor(120, TimeUnit.SECONDS));
        String accounted = Files.readString(log);
        assertEquals(0, complete.exitValue(), accounted);
        assertTrue(accounted.contains(summary.path("recordings").asInt() + " recording(s) listed by Genesys, 0 not exported: OK"),
                accounted);
    }

    /**
     * The service as its image ships it (the jar and lib/, without target/sandbox): no sandbox classes, none of the
     * sandbox's libraries, and --sandbox refused with a clear message and exit code 2.
     */
    @Test
    void theServiceAloneCarriesNoSandboxAndRefusesTheFlag(@TempDir Path image) throws Exception {
        Files.copy(JAR, image.resolve(JAR.getFileName()));
        Path lib = Files.createDirectories(image.resolve("lib"));
        List<String> libraries = new ArrayList<>();
        try (var jars = Files.list(JAR.resolveSibling("lib"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
                libraries.add(jar.getFileName().toString());
            }
        }
        for (String sandboxOnly : List.of("s3proxy", "jetty", "okhttp", "snakeyaml-1", "openstack4j")) {
            assertTrue(libraries.stream().noneMatch(name -> name.startsWith(sandboxOnly)),
                    sandboxOnly + " is the sandbox's, not the service's: " + libraries);
        }
        try (var jar = new java.util.jar.JarFile(JAR.toFile())) {
            assertTrue(jar.stream().noneMatch(entry -> entry.getName().startsWith("io/recordingexporter/sandbox/")),
                    "the service jar holds no sandbox class");
        }
        Path log = image.resolve("run.log");
        Process refused = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", image.resolve(JAR.getFileName()).toString(), "--sandbox").directory(image.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
        String said = Files.readString(log);
        assertEquals(2, refused.exitValue(), said);
        assertTrue(said.contains("this build has no sandbox"), said);
        assertTrue(Files.isRegularFile(JAR.resolveSibling(SandboxLauncher.JAR)), "the build packaged the sandbox");
    }

    /**
     * Two processes pointed at one data folder: the second (the packaged service, in real mode) refuses to start with
     * exit code 2, naming the process that holds the folder, and writes nothing into it.
     */
    @Test
    void aSecondProcessOnTheSameDataFolderRefusesToStart() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(1, 5)) {
            environment.startExporter();
            Path audit = Path.of(environment.properties().get("exporter.audit.dir"));
            List<String> before;
            try (var listed = Files.list(audit)) {
                before = listed.map(Path::toString).sorted().toList();
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            environment.properties().forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-Dcamel.server.port=" + Sandbox.freePort());
            command.add("-Dcamel.management.port=" + Sandbox.freePort());
            command.addAll(List.of("-jar", JAR.toString()));
            Path log = environment.dir().resolve("second.log");
            Process second = new ProcessBuilder(command).directory(environment.dir().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second process stops by itself");
            String said = Files.readString(log);
            assertEquals(2, second.exitValue(), said);
            assertTrue(said.contains("another exporter process is using") && said.contains("node test-node"), said);
            try (var listed = Files.list(audit)) {
                assertEquals(before, listed.map(Path::toString).sorted().toList(), "nothing written into the folder");
            }
        }
    }
}
