package io.recordingexporter.wiring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.recordingexporter.genesys.GenesysRateBudget;
import io.recordingexporter.resilience.CircuitBreaker;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;

/** What operators watch: readiness of the ledger, the bucket and the Genesys login, and the budget's and breakers' metrics. */
public final class OperationsWiring {

    private OperationsWiring() {}

    public static void open(CamelContext context, LedgerWiring ledger, StorageWiring storage, GenesysWiring genesys)
            throws Exception {
        Registry registry = context.getRegistry();
        registry.bind("ledgerReadiness", new DependencyReadinessCheck("ledger", ledger.ledger().store()::ping));
        registry.bind("s3BucketReadiness", new DependencyReadinessCheck("s3-bucket",
                () -> storage.s3().headBucket(request -> request.bucket(storage.bucket()))));
        registry.bind("genesysLoginReadiness", new DependencyReadinessCheck("genesys-login",
                genesys.tokens()::currentToken));
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the metrics registry exists once the context has fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                MeterRegistry meters = started.getRegistry().findSingleByType(MeterRegistry.class);
                if (meters != null) {
                    register(meters, genesys.rateBudget(), storage.breaker(), genesys.breaker());
                }
            }
        });
    }

    private static void register(MeterRegistry meters, GenesysRateBudget rateBudget, CircuitBreaker s3Breaker,
            CircuitBreaker genesysBreaker) {
        FunctionCounter.builder("genesys.api.calls", rateBudget, GenesysRateBudget::granted)
                .description("Genesys API calls granted by the shared rate budget").register(meters);
        FunctionCounter.builder("genesys.rate.budget.pauses", rateBudget, GenesysRateBudget::throttled)
                .description("times Genesys (429, Retry-After) paused the whole budget").register(meters);
        FunctionCounter.builder("genesys.rate.budget.pauses.capped", rateBudget, GenesysRateBudget::pausesCapped)
                .description("pauses Genesys asked for beyond GENESYS_MAX_PAUSE_SECONDS, cut to it").register(meters);
        Gauge.builder("genesys.rate.budget.available", rateBudget, GenesysRateBudget::available)
                .description("calls the budget could grant now without waiting").register(meters);
        FunctionCounter.builder("exporter.s3.breaker.opened", s3Breaker, CircuitBreaker::timesOpened)
                .description("times the S3 circuit breaker opened").register(meters);
        FunctionCounter.builder("genesys.breaker.opened", genesysBreaker, CircuitBreaker::timesOpened)
                .description("times the Genesys circuit breaker opened").register(meters);
    }
}
