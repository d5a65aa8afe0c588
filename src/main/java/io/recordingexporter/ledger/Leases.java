package io.recordingexporter.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims this node holds on ledger rows, and their leases. Every claim gets a token of its own, written to the row;
 * a completion or deferral changes the row only while it still carries this node's id and that token (a fenced
 * update), so a worker whose lease ran out and was claimed again (by another node, or by this one) changes nothing.
 * While a claim is held its lease is renewed (a heartbeat well inside the lease), so a long download, a full lane queue
 * or a paused rate budget does not let the item be claimed twice. A claim held longer than {@code maxHold} is no
 * longer renewed: a worker stuck that long gives its item back when the lease runs out.
 */
final class Leases {

    /** A claim this node holds: the row (table, id column, id), its token, and when it was taken. */
    record Held(String table, String idColumn, String id, String token, Instant claimedAt) {}

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final String nodeId;
    private final Duration lease;
    private final Duration maxHold;
    private final Clock clock;

    Leases(String nodeId, Duration lease, Duration maxHold, Clock clock) {
        this.nodeId = nodeId;
        this.lease = lease;
        this.maxHold = maxHold;
        this.clock = clock;
    }

    /** The WHERE clause of a fenced update of a row of a table keyed by {@code idColumn}: three parameters. */
    static String fence(String idColumn) {
        return idColumn + " = ? AND lease_owner = ? AND claim_token = ?";
    }

    /** A token for a new claim. */
    static String newToken() {
        return UUID.randomUUID().toString();
    }

    /** A new claim on a row under {@code token}, remembered for renewal. */
    void claim(String table, String idColumn, String id, String token, Instant now) {
        held.put(table + "/" + id, new Held(table, idColumn, id, token, now));
    }

    /** The claim ended (completed, deferred, or found lost): no more renewals. */
    void released(String table, String id) {
        held.remove(table + "/" + id);
    }

    /**
     * Renews the lease of every claim still held (and younger than {@code maxHold}); a row that no longer carries the
     * claim's token was lost and is forgotten. Returns the claims found lost.
     */
    List<Held> renewAll(Connection connection) throws SQLException {
        Instant now = clock.instant();
        List<Held> lost = new ArrayList<>();
        for (Held claim : List.copyOf(held.values())) {
            if (Duration.between(claim.claimedAt(), now).compareTo(maxHold) > 0) {
                held.remove(claim.table() + "/" + claim.id());
                continue;
            }
            if (!renew(connection, claim, now)) {
                held.remove(claim.table() + "/" + claim.id());
                lost.add(claim);
            }
        }
        return lost;
    }

    /** Renews one claim now; false when the row no longer carries it (the claim is then forgotten). */
    boolean renewOne(Connection connection, String table, String id, String token) throws SQLException {
        Held claim = held.get(table + "/" + id);
        if (claim == null || !claim.token().equals(token)) {
            return false;
        }
        if (!renew(connection, claim, clock.instant())) {
            held.remove(table + "/" + id);
            return false;
        }
        return true;
    }

    private boolean renew(Connection connection, Held claim, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + claim.table()
                + " SET lease_expires_at = ? WHERE " + fence(claim.idColumn()))) {
            update.setObject(1, now.plus(lease).atOffset(ZoneOffset.UTC));
            update.setString(2, claim.id());
            update.setString(3, nodeId);
            update.setString(4, claim.token());
            return update.executeUpdate() == 1;
        }
    }
}
