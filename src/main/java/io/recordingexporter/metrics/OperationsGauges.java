package io.recordingexporter.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.recordingexporter.audit.AuditDigests;
import io.recordingexporter.audit.AuditShipper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.genesys.GenesysRateBudget;
import io.recordingexporter.ledger.ItemState;
import io.recordingexporter.ledger.OperationsSnapshot;
import io.recordingexporter.resilience.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator asks of the service right now, as gauges: the ledger's backlog by lane and state and the age of each
 * lane's oldest waiting recording (against the lane's goal), conversations not yet expanded, undelivered incidents,
 * legal-hold objects and sidecars still without their hold, whether the ledger answers, the circuit breakers' states,
 * the Genesys rate budget, and how far the audit sink and the digests lag behind the trail. The ledger numbers come
 * from one snapshot that {@link #refresh} takes (the route {@code refresh-operations-metrics}), so a scrape never
 * queries the database.
 */
public final class OperationsGauges {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsGauges.class);
    private static final List<String> BREAKER_STATES = List.of("closed", "open", "half_open");

    private final OperationsSnapshot ledger;
    private final Clock clock;
    private volatile OperationsSnapshot.Counts counts;
    private volatile Instant readAt;
    private volatile boolean ledgerUp = true;
    private volatile boolean ledgerFailureLogged;

    public OperationsGauges(OperationsSnapshot ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Reads the ledger again; a ledger that does not answer keeps the last numbers and sets exporter_ledger_up to 0. */
    public void refresh() {
        try {
            counts = ledger.read();
            readAt = clock.instant();
            ledgerUp = true;
            ledgerFailureLogged = false;
        } catch (RuntimeException e) {
            ledgerUp = false;
            if (!ledgerFailureLogged) {
                LOG.warn("The operations metrics could not read the ledger: {}", e.getMessage());
                ledgerFailureLogged = true;
            }
        }
    }

    public void registerLedger(MeterRegistry meters, Map<String, Duration> goalByLane) {
        gauge(meters, "exporter.ledger.up", "1 while the ledger answers, 0 when the last read failed",
                g -> g.ledgerUp ? 1 : 0);
        gauge(meters, "exporter.ledger.snapshot.age", "seconds since the ledger numbers were read",
                g -> g.readAt == null ? 0 : seconds(g.readAt), "seconds");
        for (Map.Entry<String, Duration> lane : goalByLane.entrySet()) {
            String name = lane.getKey();
            for (ItemState state : List.of(ItemState.PENDING, ItemState.IN_PROGRESS, ItemState.DEFERRED,
                    ItemState.FAILED, ItemState.STORED)) {
                Gauge.builder("exporter.ledger.recordings", this, g -> g.recordings(name, state.name()))
                        .description("recordings in the ledger by lane and state (the backlog is PENDING, IN_PROGRESS"
                                + " and DEFERRED)")
                        .tag("lane", name).tag("state", state.name()).register(meters);
            }
            Gauge.builder("exporter.backlog.oldest.age", this, g -> g.oldestWaiting(name)).baseUnit("seconds")
                    .description("age of the lane's oldest recording still waiting (PENDING, IN_PROGRESS, DEFERRED),"
                            + " not counting those waiting out a Genesys metadata lock")
                    .tag("lane", name).register(meters);
            Gauge.builder("exporter.backlog.locked.recordings", this, g -> g.locked(name))
                    .description("recordings DEFERRED because Genesys still holds a metadata lock on them (409)")
                    .tag("lane", name).register(meters);
            Gauge.builder("exporter.backlog.archived.recordings", this, g -> g.archived(name))
                    .description("archived recordings DEFERRED while Genesys restores them or while the restoration"
                            + " allowance is used up")
                    .tag("lane", name).register(meters);
            long goalSeconds = lane.getValue().toSeconds();
            // a supplier, held strongly: a gauge keeps only a weak reference to an object it reads
            Gauge.builder("exporter.lane.goal", () -> goalSeconds).baseUnit("seconds")
                    .description("how long the lane's oldest waiting recording may wait (exporter.lane.<lane>.goal-minutes)")
                    .tag("lane", name).register(meters);
        }
        for (ItemState state : List.of(ItemState.PENDING, ItemState.IN_PROGRESS, ItemState.DEFERRED,
                ItemState.FAILED, ItemState.EXPANDED)) {
            Gauge.builder("exporter.ledger.conversations", this, g -> g.conversations(state.name()))
                    .description("conversations in the ledger by state (PENDING: its recordings not listed yet)")
                    .tag("state", state.name()).register(meters);
        }
        gauge(meters, "exporter.conversations.oldest.waiting.age",
                "age of the oldest conversation whose recordings are not listed yet",
                g -> g.counts == null || g.counts.oldestConversationWaiting() == null ? 0
                        : seconds(g.counts.oldestConversationWaiting()), "seconds");
        gauge(meters, "exporter.restore.allowance.exhausted",
                "1 while the share of the org's restorations left to the exporter is used up (archived recordings wait)",
                g -> g.counts == null || g.counts.restoreAllowanceExhaustedSince() == null ? 0 : 1);
        gauge(meters, "exporter.incident.outbox.size", "incidents not yet delivered to ServiceNow",
                g -> g.counts == null ? 0 : g.counts.incidentsUndelivered());
        gauge(meters, "exporter.legal.hold.objects.awaiting.hold",
                "stored legal-hold recordings whose S3 object has no Object Lock legal hold yet",
                g -> g.counts == null ? 0 : g.counts.heldObjectsWithoutHold());
        gauge(meters, "exporter.legal.hold.sidecars.awaiting.hold",
                "stored legal-hold recordings whose sidecar does not state the hold yet",
                g -> g.counts == null ? 0 : g.counts.heldSidecarsWithoutHold());
    }

    public static void registerBreakers(MeterRegistry meters, List<CircuitBreaker> breakers) {
        for (CircuitBreaker breaker : breakers) {
            for (String state : BREAKER_STATES) {
                Gauge.builder("exporter.circuit.breaker.state", breaker, b -> b.state().equals(state) ? 1 : 0)
                        .description("1 for the breaker's current state, 0 for the others")
                        .tag("breaker", breaker.dependency()).tag("state", state).register(meters);
            }
            FunctionCounter.builder("exporter.circuit.breaker.opened", breaker, CircuitBreaker::timesOpened)
                    .description("times the breaker opened").tag("breaker", breaker.dependency()).register(meters);
        }
    }

    public static void registerBudget(MeterRegistry meters, GenesysRateBudget budget) {
        FunctionCounter.builder("genesys.api.calls", budget, GenesysRateBudget::granted)
                .description("Genesys API calls granted by the shared rate budget").register(meters);
        FunctionCounter.builder("genesys.rate.budget.pauses", budget, GenesysRateBudget::throttled)
                .description("times Genesys (429, Retry-After) paused the whole budget").register(meters);
        FunctionCounter.builder("genesys.rate.budget.pauses.capped", budget, GenesysRateBudget::pausesCapped)
                .description("pauses Genesys asked for beyond GENESYS_MAX_PAUSE_SECONDS, cut to it").register(meters);
        Gauge.builder("genesys.rate.budget.available", budget, GenesysRateBudget::available)
                .description("calls the budget could grant now without waiting").register(meters);
    }

    /**
     * The audit trail's custody lag: entries not yet under a digest in S3 and the digest's age (against its interval),
     * and, with an external sink, how long entries have waited for it.
     */
    public static void registerAudit(MeterRegistry meters, AuditTrail trail, AuditDigests digests,
            AuditShipper shipper, Duration digestInterval, Clock clock) {
        Instant started = clock.instant();
        Gauge.builder("exporter.audit.undigested.entries", trail, t -> undigested(t, digests))
                .description("audit entries of this replica's chain not yet covered by a digest in S3").register(meters);
        Gauge.builder("exporter.audit.digest.age", digests, d -> Duration.between(
                        d.lastDigest() == null ? started : d.lastDigest().at(), clock.instant()).toSeconds())
                .baseUnit("seconds").description("seconds since this replica last wrote a digest (or started)")
                .register(meters);
        long intervalSeconds = digestInterval.toSeconds();
        Gauge.builder("exporter.audit.digest.interval", () -> intervalSeconds).baseUnit("seconds")
                .description("how often a digest is written (EXPORTER_AUDIT_DIGEST_INTERVAL_SECONDS)").register(meters);
        Gauge.builder("exporter.audit.sink.lag", shipper, s -> s.lag(clock.instant()).toSeconds()).baseUnit("seconds")
                .description("how long audit entries have waited for the external sink (0: none wait, or no sink)")
                .register(meters);
    }

    private static double undigested(AuditTrail trail, AuditDigests digests) {
        long covered = digests.lastDigest() == null ? 0 : digests.lastDigest().lastSeq();
        return Math.max(0, trail.head().seq() - covered);
    }

    private double recordings(String lane, String state) {
        OperationsSnapshot.Counts now = counts;
        return now == null ? 0 : now.recordingsByLaneAndState().getOrDefault(lane, Map.of()).getOrDefault(state, 0L);
    }

    private double oldestWaiting(String lane) {
        OperationsSnapshot.Counts now = counts;
        Instant since = now == null ? null : now.oldestWaitingByLane().get(lane);
        return since == null ? 0 : seconds(since);
    }

    private double locked(String lane) {
        OperationsSnapshot.Counts now = counts;
        return now == null ? 0 : now.lockedByLane().getOrDefault(lane, 0L);
    }

    private double archived(String lane) {
        OperationsSnapshot.Counts now = counts;
        return now == null ? 0 : now.archivedByLane().getOrDefault(lane, 0L);
    }

    private double conversations(String state) {
        OperationsSnapshot.Counts now = counts;
        return now == null ? 0 : now.conversationsByState().getOrDefault(state, 0L);
    }

    private double seconds(Instant since) {
        return Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }

    private void gauge(MeterRegistry meters, String name, String description, ToDoubleFunction<OperationsGauges> value) {
        Gauge.builder(name, this, value).description(description).register(meters);
    }

    private void gauge(MeterRegistry meters, String name, String description, ToDoubleFunction<OperationsGauges> value,
            String unit) {
        Gauge.builder(name, this, value).description(description).baseUnit(unit).register(meters);
    }
}
