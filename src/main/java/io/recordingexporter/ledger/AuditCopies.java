package io.recordingexporter.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicas' audit chains copied into the shared ledger ({@code audit_copy}, {@code audit_chain}): each replica
 * adds its own entries, in order, before the ledger relies on them; a surviving replica finds the chains of replicas
 * that stopped writing without anchoring them, and anchors them for them. Lines are stored exactly as written, so a
 * copy verifies like the trail itself.
 */
public final class AuditCopies {

    /** An entry of a chain: its {@code seq}, its hash and its whole line. */
    public record Line(long seq, String hash, String text) {}

    /** Where a chain stands in the copy, and its last digest in S3 (null key: none yet). */
    public record Chain(String nodeId, long lastSeq, String lastHash, long seenAtMillis, long anchoredSeq,
            String lastDigestKey, String lastDigestSha256) {}

    private final LedgerStore store;

    public AuditCopies(LedgerStore store) {
        this.store = store;
    }

    /** The chain of {@code nodeId} as the copy has it; null when the copy has none. */
    public Chain chain(String nodeId) {
        return store.inTransaction(connection -> read(connection, nodeId, false));
    }

    /**
     * Adds the next entries of {@code nodeId}'s chain (consecutive, after the copy's last one). An entry the copy
     * already holds with the same hash is skipped (a batch sent again); with another hash, a second process is writing
     * a chain under this node id, and the copy refuses ({@link ForkedChainException}) rather than mix two chains.
     */
    public void add(String nodeId, List<Line> lines, long nowMillis) {
        store.inTransaction(connection -> {
            Chain chain = read(connection, nodeId, true);
            long lastSeq = chain == null ? 0 : chain.lastSeq();
            String lastHash = chain == null ? null : chain.lastHash();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO audit_copy (node_id, seq, entry_hash, line) VALUES (?, ?, ?, ?)")) {
                for (Line line : lines) {
                    if (line.seq() <= lastSeq) {
                        String held = hashAt(connection, nodeId, line.seq());
                        if (!line.hash().equals(held)) {
                            throw new ForkedChainException(nodeId, line.seq());
                        }
                        continue;
                    }
                    if (line.seq() != lastSeq + 1) {
                        throw new IllegalStateException("audit copy of " + nodeId + " ends at seq " + lastSeq
                                + "; entry " + line.seq() + " does not follow it");
                    }
                    insert.setString(1, nodeId);
                    insert.setLong(2, line.seq());
                    insert.setString(3, line.hash());
                    insert.setString(4, line.text());
                    insert.addBatch();
                    lastSeq = line.seq();
                    lastHash = line.hash();
                }
                insert.executeBatch();
            }
            if (chain == null) {
                LedgerStore.execute(connection, "INSERT INTO audit_chain (node_id, last_seq, last_hash, seen_at_ms)"
                        + " VALUES (?, ?, ?, ?)", nodeId, lastSeq, lastHash == null ? "" : lastHash, nowMillis);
            } else {
                LedgerStore.execute(connection, "UPDATE audit_chain SET last_seq = ?, last_hash = ?, seen_at_ms = ?"
                        + " WHERE node_id = ?", lastSeq, lastHash, nowMillis, nodeId);
            }
            return null;
        });
    }

    /** Up to {@code limit} lines of {@code nodeId}'s chain after {@code afterSeq}, in order. */
    public List<Line> lines(String nodeId, long afterSeq, int limit) {
        return store.inTransaction(connection -> {
            List<Line> lines = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT seq, entry_hash, line FROM audit_copy"
                    + " WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                select.setString(1, nodeId);
                select.setLong(2, afterSeq);
                select.setInt(3, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        lines.add(new Line(rows.getLong(1), rows.getString(2), rows.getString(3)));
                    }
                }
            }
            return lines;
        });
    }

    /** The chain's digest {@code key} (with its SHA-256) now vouches for it up to {@code seq}. */
    public void anchored(String nodeId, long seq, String key, String sha256) {
        store.inTransaction(connection -> LedgerStore.execute(connection, "UPDATE audit_chain SET anchored_seq ="
                + " GREATEST(anchored_seq, ?), last_digest_key = ?, last_digest_sha256 = ?, anchoring_until_ms = 0"
                + " WHERE node_id = ?", seq, key, sha256, nodeId));
    }

    /**
     * The chains whose replica has written nothing since {@code silentSince} and whose last entries no digest vouches
     * for: each one claimed for this replica until {@code claimUntil} (one conditional UPDATE, so two survivors never
     * both write its next digest), and returned.
     */
    public List<Chain> claimUnanchored(String ownNodeId, long silentSince, long nowMillis, long claimUntil) {
        return store.inTransaction(connection -> {
            List<String> candidates = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT node_id FROM audit_chain WHERE"
                    + " node_id <> ? AND anchored_seq < last_seq AND seen_at_ms < ? AND anchoring_until_ms < ?")) {
                select.setString(1, ownNodeId);
                select.setLong(2, silentSince);
                select.setLong(3, nowMillis);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        candidates.add(rows.getString(1));
                    }
                }
            }
            List<Chain> claimed = new ArrayList<>();
            for (String nodeId : candidates) {
                if (LedgerStore.execute(connection, "UPDATE audit_chain SET anchoring_until_ms = ? WHERE node_id = ?"
                        + " AND anchored_seq < last_seq AND seen_at_ms < ? AND anchoring_until_ms < ?", claimUntil,
                        nodeId, silentSince, nowMillis) == 1) {
                    claimed.add(read(connection, nodeId, false));
                }
            }
            return claimed;
        });
    }

    private static Chain read(Connection connection, String nodeId, boolean forUpdate) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT last_seq, last_hash, seen_at_ms,"
                + " anchored_seq, last_digest_key, last_digest_sha256 FROM audit_chain WHERE node_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setString(1, nodeId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Chain(nodeId, row.getLong(1), row.getString(2), row.getLong(3), row.getLong(4),
                        row.getString(5), row.getString(6)) : null;
            }
        }
    }

    private static String hashAt(Connection connection, String nodeId, long seq) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT entry_hash FROM audit_copy WHERE node_id = ? AND seq = ?")) {
            select.setString(1, nodeId);
            select.setLong(2, seq);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** Two processes write a chain under one node id (the same EXPORTER_NODE_ID on two volumes). */
    public static final class ForkedChainException extends IllegalStateException {

        public ForkedChainException(String nodeId, long seq) {
            super("the ledger's copy of audit chain '" + nodeId + "' holds another entry " + seq + " than this process"
                    + " wrote: another process writes a chain under the same node id (EXPORTER_NODE_ID must differ per"
                    + " replica, or be left unset)");
        }
    }
}
