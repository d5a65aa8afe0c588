package io.recordingexporter.ledger;

import java.time.Clock;
import javax.sql.DataSource;

/**
 * The durable heart of the exporter, by concern, all on one database and one transaction helper ({@link LedgerStore}):
 * the intake, the conversation and recording queues, this node's leases, the custody records, the discovery watermarks, the
 * incident outbox, the legal holds, the backfills, the custody status read model and which replica runs each scheduled
 * run, the operators' snapshot, bulk job rescues and the restoration allowance. Each part is a bean of its own;
 * this is how they are made together.
 */
public record Ledger(LedgerStore store, ConversationIntake intake, ConversationQueue conversations, RecordingQueue recordings, NodeLeases leases,
        CustodyRecords custody, Watermarks watermarks, IncidentQueue incidents, LegalHoldRecords holds,
        Backfills backfills, CustodyStatus status, ScheduledRuns scheduledRuns, OperationsSnapshot operations,
        BulkRescues rescues, RestoreAllowanceRecord restoreAllowance) {

    public static Ledger open(DataSource dataSource, String nodeId, long leaseSeconds, Clock clock) {
        LedgerStore store = new LedgerStore(dataSource, nodeId, leaseSeconds, clock);
        ConversationIntake intake = new ConversationIntake(store);
        return new Ledger(store, intake, new ConversationQueue(store), new RecordingQueue(store), new NodeLeases(store),
                new CustodyRecords(store), new Watermarks(store, intake), new IncidentQueue(store),
                new LegalHoldRecords(store), new Backfills(store, intake), new CustodyStatus(store),
                new ScheduledRuns(store), new OperationsSnapshot(store), new BulkRescues(store, intake),
                new RestoreAllowanceRecord(store));
    }

    public String nodeId() {
        return store.nodeId();
    }
}
