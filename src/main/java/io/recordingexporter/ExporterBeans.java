package io.recordingexporter;

import io.recordingexporter.failures.FailureClass;
import io.recordingexporter.genesys.BatchDownloads;
import io.recordingexporter.intake.BearerGate;
import io.recordingexporter.intake.WebhookGate;
import io.recordingexporter.metrics.ExportMetrics;
import io.recordingexporter.settings.ExporterSettings;
import io.recordingexporter.wiring.AuditWiring;
import io.recordingexporter.wiring.DiscoveryWiring;
import io.recordingexporter.wiring.FailureWiring;
import io.recordingexporter.wiring.GenesysWiring;
import io.recordingexporter.wiring.IncidentWiring;
import io.recordingexporter.wiring.LedgerWiring;
import io.recordingexporter.wiring.ManagementGate;
import io.recordingexporter.wiring.MediaWiring;
import io.recordingexporter.wiring.NodeIdentity;
import io.recordingexporter.wiring.OperationsWiring;
import io.recordingexporter.wiring.StorageWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the beans the YAML routes call from {@code config/application.properties}: the settings are read once and
 * checked (a bad value stops the start, naming each key), then each concern is wired in dependency order by its own
 * class in {@code wiring/}. The routes name the beans: {@code webhookGate}, {@code conversationIntake},
 * {@code conversationQueue}, {@code recordingQueue}, {@code mediaFetcher}, {@code custodyWriter},
 * {@code sidecarWriter}, {@code auditTrail}, {@code failedWork} and the rest.
 */
public class ExporterBeans implements CamelConfiguration {

    /** The lanes of the content-based router; each has its own settings under {@code exporter.lane.<name>.}. */
    public static final List<String> LANES = List.of("screen-legal-hold", "screen", "voice", "digital");

    private static final Logger LOG = LoggerFactory.getLogger(ExporterBeans.class);

    /** The settings as the service reads them, through Camel's property resolution. */
    public static ExporterSettings settings(CamelContext context) {
        return ExporterSettings.read(context.getPropertiesComponent()::resolveProperty, LANES,
                Arrays.stream(FailureClass.values()).map(FailureClass::key).toList(), BatchDownloads.MAX_REQUESTS);
    }

    /** The settings outside a running service (the verifier sub-commands): the same file, the same resolution. */
    public static ExporterSettings settingsFromConfiguration() {
        // never started: it only resolves properties, exactly as the service's context does
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(RecordingExporter.configLocation());
        return settings(context);
    }

    /**
     * The exchange properties a route sets about its recording (conversationId, recordingId, lane, attempt,
     * correlationId) go into the MDC of every line logged while it runs, processors' beans included: camel-mdc's
     * service, set up here before the routes are built so that its intercept strategy wraps them.
     */
    private static void logContext(CamelContext context) throws Exception {
        org.apache.camel.mdc.MDCService mdc = new org.apache.camel.mdc.MDCService();
        mdc.setCamelContext(context);
        mdc.setCustomProperties(String.join(",", LOG_CONTEXT));
        mdc.init();
        context.addService(mdc, true, true);
    }

    /** The exchange properties that name what a log line is about. */
    public static final List<String> LOG_CONTEXT = List.of("conversationId", "recordingId", "lane", "attempt",
            "correlationId");

    @Override
    public void configure(CamelContext context) throws Exception {
        ExporterSettings settings = settings(context);
        // before anything else touches local data: a second process on the same folder stops here
        NodeIdentity node = NodeIdentity.claim(Path.of(settings.audit().dir()), settings.ledger().nodeId());
        try {
            wire(context, settings, node);
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    private static void wire(CamelContext context, ExporterSettings settings, NodeIdentity node) throws Exception {
        logContext(context);
        Clock clock = Clock.systemUTC();
        Registry registry = context.getRegistry();
        SplittableRandom jitter = new SplittableRandom();
        LongUnaryOperator draw = bound -> bound <= 0 ? 0 : jitter.split().nextLong(bound + 1);

        // Camel's Prometheus registry appears only once the context has started: our meters are made from the start
        // on a composite, which hands every one of them to Camel's registry when it is added
        io.micrometer.core.instrument.composite.CompositeMeterRegistry meters =
                new io.micrometer.core.instrument.composite.CompositeMeterRegistry();
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // not yet: the metrics registry is bound once the context has fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                io.micrometer.core.instrument.MeterRegistry camelMeters = started.getRegistry()
                        .lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
                if (camelMeters != null && camelMeters != meters) {
                    meters.add(camelMeters);
                }
            }
        });
        ExportMetrics metrics = new ExportMetrics(meters, clock, LANES);
        registry.bind("exportMetrics", metrics);

        LedgerWiring ledger = LedgerWiring.open(settings.ledger(), node.id(), clock, registry);
        GenesysWiring genesys = GenesysWiring.connect(settings.genesys(), ledger, metrics, clock, registry);
        DiscoveryWiring discovery = DiscoveryWiring.open(settings.discovery(), settings.genesys(), genesys,
                ledger.ledger(), clock, registry);
        StorageWiring storage = StorageWiring.open(settings.storage(), genesys.genesys().objectMapper(),
                ledger.ledger().custody(), clock, registry);
        AuditWiring audit = AuditWiring.open(settings.audit(), storage, ledger, clock, registry);
        MediaWiring media = MediaWiring.open(settings, genesys, storage, ledger, audit.trail(), metrics, clock,
                registry);
        FailureWiring.open(settings, ledger.ledger(), media.laneGenesys(), genesys.rateBudget().maxPause(),
                audit.trail(), metrics, discovery.relisting().missingFirst(), draw, clock, registry);
        IncidentWiring.open(settings.serviceNow(), ledger.ledger().incidents(), draw, clock, registry);
        registry.bind("webhookGate", new WebhookGate(settings.intake().webhookToken(),
                settings.intake().maxBodyBytes(), settings.intake().maxBatch()));
        registry.bind("readGate", new BearerGate(settings.intake().readToken()));
        if (settings.intake().webhookToken().isBlank()) {
            LOG.warn("EXPORTER_WEBHOOK_TOKEN is empty: every webhook, backfill and retry request is refused (401)"
                    + " until it is set");
        }
        if (settings.intake().readToken().isBlank()) {
            LOG.warn("EXPORTER_READ_TOKEN is empty: GET /conversations/{id} and GET /exports/{id} refuse every call"
                    + " (401) until it is set");
        }
        OperationsWiring.open(settings, ledger, storage, genesys, audit, meters, clock, registry);
        ManagementGate.install(context);

        // closed after the routes have stopped, so in-flight work can still reach the ledger and the trail
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                // a last digest, so the chain is anchored up to the stop
                try {
                    audit.trail().record("DIGEST_PUBLISHED", audit.digests().publish());
                } catch (Exception e) {
                    LOG.warn("The audit digest at shutdown could not be written to S3: {}", e.getMessage());
                }
                audit.trail().close();
                media.downloader().close();
                storage.s3().close();
                ledger.dataSource().close();
                node.close();
            }
        }, true);
    }
}
