package io.recordingexporter.ledger;

import io.recordingexporter.sandbox.SandboxPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ledger's rules on a real PostgreSQL server, the database replicas share: the same migrations and SQL as on H2,
 * claims with {@code FOR UPDATE SKIP LOCKED} between nodes. A new database per test.
 */
class PostgresLedgerTest extends LedgerTest {

    private static SandboxPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = SandboxPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Override
    protected String databaseUrl() throws Exception {
        return postgres.createDatabase();
    }

    @Override
    protected String databaseUser() {
        return SandboxPostgres.USER;
    }
}
