package io.recordingexporter.wiring;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one outside dependency (the ledger, the S3 bucket, the Genesys login): DOWN while its probe fails, with
 * the failure's message, so {@code /observe/health/ready} says what is missing. Not a liveness check: a dependency
 * that is down is no reason to restart the exporter.
 */
public class DependencyReadinessCheck extends AbstractHealthCheck {

    private final Callable<?> probe;

    public DependencyReadinessCheck(String dependency, Callable<?> probe) {
        super("dependencies", dependency);
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            probe.call();
            builder.up();
            if (Boolean.FALSE.equals(wasUp)) {
                LOG.info("Readiness: {} answers again", getId());
            }
            wasUp = true;
        } catch (Exception e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            builder.down().message(reason);
            // the health endpoint says only DOWN: the log says which dependency, once per outage
            if (!Boolean.FALSE.equals(wasUp)) {
                LOG.warn("Readiness: {} is DOWN: {}", getId(), reason);
            }
            wasUp = false;
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DependencyReadinessCheck.class);
    private volatile Boolean wasUp;
}
