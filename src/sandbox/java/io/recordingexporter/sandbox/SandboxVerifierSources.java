package io.recordingexporter.sandbox;

import io.recordingexporter.ExporterBeans;
import io.recordingexporter.VerifierSources;
import io.recordingexporter.custody.S3Connections;
import io.recordingexporter.settings.ExporterSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The sandbox's parts for the verifiers: its S3 server over {@code data/s3} (no Object Lock there) and, for
 * {@code verify-completeness}, a simulator of its org as Genesys has it now. The ledger and the audit trail are the
 * service's defaults under {@code ./data}.
 */
final class SandboxVerifierSources implements VerifierSources {

    private final Path data;
    private final ExporterSettings settings = ExporterBeans.settingsFromConfiguration();
    private final VerifierSources service = VerifierSources.of(settings);
    private Sandbox simulated;
    private SandboxS3 s3Server;
    private S3Client s3;

    SandboxVerifierSources(Path data) {
        this.data = data;
    }

    @Override
    public Storage storage() throws Exception {
        if (s3 == null) {
            String endpoint = simulated != null ? simulated.s3Endpoint()
                    : (s3Server = SandboxS3.start(data.resolve("s3"), Sandbox.BUCKET, Sandbox.freePort())).endpoint();
            s3 = S3Connections.builder(endpoint, settings.storage().region())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY))).build();
        }
        return new Storage(s3, Sandbox.BUCKET, settings.storage().prefix());
    }

    /** The simulated org with every screen recording uploaded long since, as Genesys would list it now. */
    @Override
    public Genesys genesys() throws Exception {
        if (simulated == null) {
            if (s3Server != null) {
                throw new IllegalStateException("the simulated org is opened before the sandbox's S3");
            }
            simulated = Sandbox.start(Sandbox.Options.fromEnvironment().withLateScreenDelay(Duration.ZERO), data);
        }
        String base = simulated.genesys().baseUrl();
        return new Genesys(base, base, Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET);
    }

    @Override
    public Connection readOnlyLedger() throws SQLException {
        return service.readOnlyLedger();
    }

    @Override
    public Path auditDir() {
        return service.auditDir();
    }

    @Override
    public boolean objectLockExpected() {
        return false;
    }

    @Override
    public void close() throws Exception {
        try (service) {
            if (s3 != null) {
                s3.close();
            }
            if (s3Server != null) {
                s3Server.close();
            }
            if (simulated != null) {
                simulated.close();
            }
        }
    }
}
