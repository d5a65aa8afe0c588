package io.recordingexporter.wiring;

import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.failures.ConflictProbe;
import io.recordingexporter.failures.ConversationFailures;
import io.recordingexporter.failures.FailedWork;
import io.recordingexporter.failures.FailureClass;
import io.recordingexporter.failures.InlineRedelivery;
import io.recordingexporter.failures.OperatorRetry;
import io.recordingexporter.failures.RetrySchedule;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.metrics.ExportMetrics;
import io.recordingexporter.resilience.RetryPolicy;
import io.recordingexporter.settings.ExporterSettings;
import io.recordingexporter.settings.LaneSettings;
import io.recordingexporter.settings.RetrySettings;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.apache.camel.spi.Registry;

/**
 * What happens when an attempt fails: each failure class's backoff, each lane's deadline, inline redelivery, the
 * lock-aware re-read of conflicts, and the durable deferral or failure of the work.
 */
public final class FailureWiring {

    private FailureWiring() {}

    public static void open(ExporterSettings settings, Ledger ledger, GenesysRecordings laneGenesys,
            Duration maxGenesysPause, AuditTrail auditTrail, ExportMetrics metrics, Duration missingFirstRelist,
            LongUnaryOperator draw, Clock clock, Registry registry) {
        RetrySettings retry = settings.retry();
        Map<FailureClass, RetryPolicy> policies = new EnumMap<>(FailureClass.class);
        for (FailureClass failureClass : FailureClass.values()) {
            RetrySettings.Backoff backoff = retry.perClass().getOrDefault(failureClass.key(), retry.standard());
            policies.put(failureClass, failureClass.retryPolicy(backoff.baseDelay(), backoff.maxDelay()));
        }
        Map<String, Duration> deadlines = new LinkedHashMap<>();
        Map<String, Integer> inlineRedeliveries = new LinkedHashMap<>();
        for (LaneSettings lane : settings.lanes().values()) {
            deadlines.put(lane.name(), lane.deadline());
            inlineRedeliveries.put(lane.name(), lane.inlineRedeliveries());
        }
        RetrySchedule expansionRetries = new RetrySchedule(retry.standard().baseDelay(), retry.standard().maxDelay(),
                settings.discovery().expandMaxAttempts());
        registry.bind("inlineRedelivery", new InlineRedelivery(inlineRedeliveries, new RetryPolicy(
                retry.inline().baseDelay(), retry.inline().maxDelay()), maxGenesysPause, auditTrail, clock, draw,
                metrics::redelivered));
        FailedWork failedWork = new FailedWork(ledger.recordings(), ledger.leases(), policies, deadlines, clock, draw);
        registry.bind("failedWork", failedWork);
        registry.bind("conversationFailures", new ConversationFailures(ledger.conversations(), ledger.backfills(),
                expansionRetries, missingFirstRelist, clock));
        registry.bind("operatorRetry", new OperatorRetry(ledger.recordings()));
        registry.bind("conflictProbe", new ConflictProbe(laneGenesys, ledger.recordings(), failedWork, auditTrail,
                policies.get(FailureClass.CONFLICT)));
    }
}
