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
        } catch (Exception e) {
            builder.down().message(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
