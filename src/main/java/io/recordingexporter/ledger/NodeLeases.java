package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.execute;

import io.recordingexporter.domain.RecordingItem;
import java.sql.PreparedStatement;
import java.util.List;

/** This node's leases on its claims: renewed while work runs, confirmed before a write, released at start. */
public final class NodeLeases {

    private final LedgerStore store;

    public NodeLeases(LedgerStore store) {
        this.store = store;
    }

    /**
     * Renews the lease of every claim this node still holds (the heartbeat of long work: a download, a full lane
     * queue, a paused budget); a claim whose row no longer carries its token is forgotten. The number found lost.
     */
    public int renewLeases() {
        return store.inTransaction(connection -> store.leases().renewAll(connection).size());
    }

    /**
     * Right before anything is written for a recording (its S3 object): the claim is renewed, and must still be this
     * worker's. Throws {@link LeaseLostException} when it is not.
     */
    public void confirmClaim(RecordingItem item) {
        if (!holdsClaim(item)) {
            throw new LeaseLostException(item.recordingId(), "recording");
        }
    }

    /** Whether this worker's claim on the recording still holds; renewed when it does. */
    public boolean holdsClaim(RecordingItem item) {
        return store.inTransaction(connection -> store.leases().renewOne(connection, "recording_item", item.recordingId(),
                item.claimToken()));
    }

    /**
     * After a restart, work this node had claimed is due again at once rather than after its lease runs out. Leases of
     * other replicas are left alone.
     */
    public int releaseOwnLeases() {
        return store.inTransaction(connection -> {
            int released = 0;
            for (String table : List.of("conversation_work", "recording_item", "backfill_export", "incident_outbox")) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET state = 'PENDING', lease_owner = NULL, lease_expires_at = NULL, claim_token = NULL"
                        + " WHERE state = 'IN_PROGRESS' AND lease_owner = ?")) {
                    update.setString(1, store.nodeId());
                    released += update.executeUpdate();
                }
            }
            // relistings in progress keep their listed state
            released += execute(connection, "UPDATE conversation_work SET lease_owner = NULL, lease_expires_at = NULL,"
                    + " claim_token = NULL WHERE state = 'EXPANDED' AND lease_owner = ?", store.nodeId());
            return released;
        });
    }
}
