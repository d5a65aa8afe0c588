package io.recordingexporter.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.recordingexporter.metrics.OperationsGauges;
import io.recordingexporter.settings.ExporterSettings;
import io.recordingexporter.settings.LaneSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.Registry;

/**
 * What operators watch: readiness of the ledger, the bucket and the Genesys login, and the gauges of the backlog,
 * custody, budget and breakers (the counters of what happened are {@code ExportMetrics}, wired first).
 */
public final class OperationsWiring {

    private OperationsWiring() {}

    public static void open(ExporterSettings settings, LedgerWiring ledger, StorageWiring storage,
            GenesysWiring genesys, AuditWiring audit, MeterRegistry meters, Clock clock, Registry registry) {
        registry.bind("ledgerReadiness", new DependencyReadinessCheck("ledger", ledger.ledger().store()::ping));
        registry.bind("s3BucketReadiness", new DependencyReadinessCheck("s3-bucket",
                () -> storage.s3().headBucket(request -> request.bucket(storage.bucket()))));
        registry.bind("genesysLoginReadiness", new DependencyReadinessCheck("genesys-login",
                genesys.tokens()::currentToken));

        OperationsGauges gauges = new OperationsGauges(ledger.ledger().operations(), clock);
        Map<String, Duration> goals = new LinkedHashMap<>();
        for (LaneSettings lane : settings.lanes().values()) {
            goals.put(lane.name(), lane.goal());
        }
        gauges.registerLedger(meters, goals);
        OperationsGauges.registerBreakers(meters, List.of(storage.breaker(), genesys.breaker()));
        OperationsGauges.registerBudget(meters, genesys.rateBudget());
        OperationsGauges.registerAudit(meters, audit.trail(), audit.digests(), audit.shipper(),
                settings.audit().digestInterval(), clock);
        registry.bind("operationsGauges", gauges);
    }
}
