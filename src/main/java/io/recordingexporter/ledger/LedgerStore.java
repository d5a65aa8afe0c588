package io.recordingexporter.ledger;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What every part of the ledger shares: the database, this node's identity and leases, and the one transaction helper
 * (a broken connection is evicted from the pool; any SQL failure is {@link LedgerUnavailableException}). Claims and
 * fenced completions are made here, the same way for every work table.
 *
 * <p>SQL in the ledger runs unchanged on H2 and PostgreSQL. Claims use {@code FOR UPDATE SKIP LOCKED}, so concurrent
 * workers never take the same row.
 */
public final class LedgerStore {

    private static final int ERROR_TEXT_LIMIT = 2000;
    /** A claim is renewed while held, but not beyond this many leases: a worker stuck that long gives its item back. */
    private static final int MAX_HOLD_IN_LEASES = 24;
    private static final int RACE_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final String nodeId;
    private final long leaseSeconds;
    private final Clock clock;
    private final Leases leases;

    public LedgerStore(DataSource dataSource, String nodeId, long leaseSeconds, Clock clock) {
        this.dataSource = dataSource;
        this.nodeId = nodeId;
        this.leaseSeconds = leaseSeconds;
        this.clock = clock;
        this.leases = new Leases(nodeId, Duration.ofSeconds(leaseSeconds),
                Duration.ofSeconds(leaseSeconds * MAX_HOLD_IN_LEASES), clock);
    }

    public String nodeId() {
        return nodeId;
    }

    /** Ends a claim: the row gets its new state, error and next attempt, and its lease is given up (fenced). */
    boolean release(String table, String idColumn, String id, String token, ItemState state, String error,
            Instant nextAttempt) {
        return inTransaction(connection -> fenced(connection, table, idColumn, id, token,
                "state = ?, last_error = ?, next_attempt_at = ?", state.name(), truncate(error), nextAttempt));
    }

    /**
     * A fenced completion: sets {@code assignments} (with their parameters), gives the lease up and ends the claim, on
     * the row only while it still carries this node's claim {@code token}. False when it no longer does (the lease was
     * lost and the row claimed again): then nothing changed.
     */
    boolean fenced(Connection connection, String table, String idColumn, String id, String token,
            String assignments, Object... parameters) throws SQLException {
        Object[] all = java.util.Arrays.copyOf(parameters, parameters.length + 4);
        all[parameters.length] = clock.instant();
        all[parameters.length + 1] = id;
        all[parameters.length + 2] = nodeId;
        all[parameters.length + 3] = token;
        int changed = execute(connection, "UPDATE " + table + " SET " + assignments + ", lease_owner = NULL,"
                + " lease_expires_at = NULL, claim_token = NULL, updated_at = ? WHERE " + Leases.fence(idColumn), all);
        leases.released(table, id);
        return changed == 1;
    }

    @FunctionalInterface
    interface RowReader<T> {
        /** The claimed object from its row, with the token of its claim; null passes the row over (not claimed). */
        T read(ResultSet row, String claimToken) throws SQLException;
    }

    /**
     * The one way work is taken from a work table: rows due now (PENDING or DEFERRED with {@code next_attempt_at}
     * passed, or IN_PROGRESS whose lease ran out), locked with {@code FOR UPDATE SKIP LOCKED} so concurrent workers
     * never take the same row, then leased to this node ({@code attempts + 1}) under a new claim token, whose lease is
     * renewed while the claim is held. The first selected column is the id.
     */
    <T> List<T> claimDue(Connection connection, String table, String idColumn, String columns, String lane,
            String order, int limit, RowReader<T> reader) throws SQLException {
        Instant now = clock.instant();
        List<T> claimed = new ArrayList<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE "
                + (lane == null ? "" : "lane = ? AND ")
                // the live states first: the (state, ...) indexes then skip every settled row, however many
                + "state IN ('PENDING', 'DEFERRED', 'IN_PROGRESS')"
                + " AND ((state IN ('PENDING', 'DEFERRED') AND next_attempt_at <= ?)"
                + " OR (state = 'IN_PROGRESS' AND lease_expires_at < ?))"
                + " ORDER BY " + order + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED")) {
            int index = 1;
            if (lane != null) {
                select.setString(index++, lane);
            }
            select.setObject(index++, utc(now));
            select.setObject(index++, utc(now));
            select.setInt(index, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String token = Leases.newToken();
                    T item = reader.read(rows, token);
                    if (item == null) {
                        continue; // the reader passes this row over: it stays as it is, for a later claim
                    }
                    leases.claim(table, idColumn, rows.getString(1), token, now);
                    tokens.put(rows.getString(1), token);
                    claimed.add(item);
                }
            }
        }
        if (!tokens.isEmpty()) {
            try (PreparedStatement lease = connection.prepareStatement("UPDATE " + table + " SET state = 'IN_PROGRESS',"
                    + " attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?, claim_token = ?, updated_at = ?"
                    + " WHERE " + idColumn + " = ?")) {
                for (Map.Entry<String, String> claim : tokens.entrySet()) {
                    lease.setString(1, nodeId);
                    lease.setObject(2, utc(now.plusSeconds(leaseSeconds)));
                    lease.setString(3, claim.getValue());
                    lease.setObject(4, utc(now));
                    lease.setString(5, claim.getKey());
                    lease.addBatch();
                }
                lease.executeBatch();
            }
        }
        return claimed;
    }

    /** Runs one statement with its parameters bound in order (an Instant as UTC); the number of rows it changed. */
    static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                statement.setObject(i + 1, parameter instanceof Instant instant ? utc(instant) : parameter);
            }
            return statement.executeUpdate();
        }
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction on a connection of its own: committed, or rolled back on any failure. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            try {
                connection.setAutoCommit(false);
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackOrEvict(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("ledger unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #inTransaction}, run again when it lost a race to another replica: it inserted a key another replica's
     * transaction inserted first (SQLState 23505), or the database chose it as the victim of a deadlock or a
     * serialization conflict (40P01, 40001). Run again, the work sees the other's rows and decides anew. For work
     * that is idempotent by design (intake); at most {@value #RACE_ATTEMPTS} attempts.
     */
    public <T> T inTransactionRetryingRaces(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(work);
            } catch (LedgerUnavailableException e) {
                if (attempt >= RACE_ATTEMPTS || !lostRace(e.getCause())) {
                    throw e;
                }
            }
        }
    }

    private static boolean lostRace(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (SQLException e = cause instanceof SQLException sql ? sql : null; e != null; e = e.getNextException()) {
                if (List.of("23505", "40001", "40P01").contains(e.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Rolls back; a connection that is broken (the database went away) is evicted from the pool. The pool would keep
     * it otherwise: it evicts only on SQLState 08xxx, and busy lanes never let a connection idle long enough to be
     * re-validated, so the ledger would stay "unavailable" after the database is back.
     */
    private void rollbackOrEvict(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException broken) {
            // checked below
        }
        try {
            if (!connection.isValid(2) && dataSource instanceof HikariDataSource pool) {
                pool.evictConnection(connection);
            }
        } catch (SQLException broken) {
            if (dataSource instanceof HikariDataSource pool) {
                pool.evictConnection(connection);
            }
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String truncate(String text) {
        return text == null || text.length() <= ERROR_TEXT_LIMIT ? text : text.substring(0, ERROR_TEXT_LIMIT);
    }

    /** A round trip to the database, for readiness. */
    public boolean ping() {
        return inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM conversation_work WHERE 1 = 0");
                 ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        });
    }

    Instant now() {
        return clock.instant();
    }

    long leaseSeconds() {
        return leaseSeconds;
    }

    Leases leases() {
        return leases;
    }
}
