package io.recordingexporter.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the replicas' audit chains as the shared ledger holds them ({@code audit_copy}), for the verifiers: which
 * chains there are, and each one's lines in order. Read-only; a ledger without the copy (an H2 ledger of a service
 * on its own, or one from before the copy existed) simply has no chains.
 */
public final class CopiedChains {

    private static final int FETCH_SIZE = 1000;

    private CopiedChains() {}

    /** The node ids of the chains in the ledger's copy. */
    public static List<String> nodes(Connection ledger) throws SQLException {
        List<String> nodes = new ArrayList<>();
        if (!hasCopy(ledger)) {
            return nodes;
        }
        try (PreparedStatement select = ledger.prepareStatement("SELECT node_id FROM audit_chain ORDER BY node_id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                nodes.add(rows.getString(1));
            }
        }
        return nodes;
    }

    /** The lines of {@code nodeId}'s chain, in {@code seq} order, read a page at a time. */
    public static ChainReader lines(Connection ledger, String nodeId) {
        return new ChainReader() {
            private long afterSeq;
            private final List<String> page = new ArrayList<>();
            private int next;
            private boolean exhausted;

            @Override
            public String readLine() throws IOException {
                if (next == page.size() && !exhausted) {
                    fill();
                }
                return next < page.size() ? page.get(next++) : null;
            }

            private void fill() throws IOException {
                page.clear();
                next = 0;
                try (PreparedStatement select = ledger.prepareStatement("SELECT seq, line FROM audit_copy"
                        + " WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT " + FETCH_SIZE)) {
                    select.setString(1, nodeId);
                    select.setLong(2, afterSeq);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            afterSeq = rows.getLong(1);
                            page.add(rows.getString(2));
                        }
                    }
                } catch (SQLException e) {
                    throw new IOException("the ledger's copy of chain " + nodeId + " cannot be read: " + e.getMessage(), e);
                }
                exhausted = page.size() < FETCH_SIZE;
            }

            @Override
            public void close() {
                page.clear();
            }
        };
    }

    /** The STORED and SIDECAR_UPDATED lines of every chain in the copy (what verify-export needs of the trails). */
    public static void custodyLines(Connection ledger, java.util.function.Consumer<String> each) throws SQLException {
        if (!hasCopy(ledger)) {
            return;
        }
        try (PreparedStatement select = ledger.prepareStatement("SELECT line FROM audit_copy WHERE line LIKE ?"
                + " OR line LIKE ?")) {
            select.setString(1, "%\"event\":\"STORED\"%");
            select.setString(2, "%\"event\":\"SIDECAR_UPDATED\"%");
            select.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    each.accept(rows.getString(1));
                }
            }
        }
    }

    private static boolean hasCopy(Connection ledger) throws SQLException {
        DatabaseMetaData metadata = ledger.getMetaData();
        for (String name : List.of("audit_copy", "AUDIT_COPY")) {
            try (ResultSet tables = metadata.getTables(null, null, name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
