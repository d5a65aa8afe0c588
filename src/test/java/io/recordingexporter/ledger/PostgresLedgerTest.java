package io.recordingexporter.ledger;

import io.recordingexporter.TestPostgres;

/**
 * The ledger's rules on a real PostgreSQL server, the database replicas share: the same migrations and SQL as on H2,
 * claims with {@code FOR UPDATE SKIP LOCKED} between nodes. A new database per test.
 */
class PostgresLedgerTest extends LedgerTest {

    @Override
    protected String databaseUrl() throws Exception {
        return TestPostgres.newDatabase();
    }

    @Override
    protected String databaseUser() {
        return TestPostgres.USER;
    }
}
