package io.recordingexporter.audit;

import java.util.List;

/**
 * A copy of this replica's audit chain kept off its own disk: the shared ledger's, when replicas share a PostgreSQL
 * one. Entries reach it before the ledger relies on them, so a replica killed together with its volume loses none of
 * them; its chain can still be verified ({@code verify-audit --ledger}) and anchored by a surviving replica, and a
 * replica that comes back under the same node id on an empty volume gets its trail back from here.
 */
public interface ChainCopy {

    /** An entry as the trail wrote it: its {@code seq}, its hash and its whole line (without the newline). */
    record Entry(long seq, String hash, String line) {}

    /** The last entry the copy holds of this chain ({@code seq} 0 when none). */
    AuditTrail.ChainHead head();

    /**
     * Adds the next entries of the chain, in order (an empty list only says this replica is alive). Throws when the
     * copy cannot take them; the trail keeps them and sends them again with the next ones.
     */
    void add(List<Entry> entries);

    /** Up to {@code limit} entries after {@code seq}, in order. */
    List<Entry> after(long seq, int limit);
}
