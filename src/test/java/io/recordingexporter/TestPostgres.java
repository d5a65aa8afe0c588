package io.recordingexporter;

import io.recordingexporter.sandbox.SandboxPostgres;

/**
 * One PostgreSQL server for the whole test run, started when a test first asks for a database and stopped when the
 * JVM ends; every test gets a new, empty database of its own.
 */
public final class TestPostgres {

    public static final String USER = SandboxPostgres.USER;
    private static SandboxPostgres server;

    private TestPostgres() {
    }

    /** The JDBC URL of a new database (user {@link #USER}, no password). */
    public static synchronized String newDatabase() throws Exception {
        if (server == null) {
            server = SandboxPostgres.start();
        }
        return server.createDatabase();
    }
}
