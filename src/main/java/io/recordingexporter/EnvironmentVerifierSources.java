package io.recordingexporter;

import io.recordingexporter.genesys.GenesysHosts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import software.amazon.awssdk.services.s3.S3Client;

/** The service's own settings, from the same environment variables (and defaults) the service reads. */
final class EnvironmentVerifierSources implements VerifierSources {

    private S3Client s3;

    @Override
    public Storage storage() {
        if (s3 == null) {
            s3 = ExporterBeans.s3ClientBuilder(env("EXPORTER_S3_ENDPOINT", ""), env("AWS_REGION", "eu-west-2")).build();
        }
        return new Storage(s3, env("EXPORTER_S3_BUCKET", "recordings"), env("EXPORTER_S3_PREFIX", "genesys"));
    }

    @Override
    public Genesys genesys() {
        GenesysHosts hosts = GenesysHosts.of(env("GENESYS_REGION", "eu_west_2"), env("GENESYS_API_BASE_URL", ""),
                env("GENESYS_LOGIN_BASE_URL", ""));
        return new Genesys(hosts.apiBaseUrl(), hosts.loginBaseUrl(), env("GENESYS_CLIENT_ID", ""),
                env("GENESYS_CLIENT_SECRET", ""));
    }

    /** EXPORTER_DB_URL, default the embedded H2 file under ./data, which a running service holds open. */
    @Override
    public Connection readOnlyLedger() throws SQLException {
        Connection ledger = DriverManager.getConnection(
                env("EXPORTER_DB_URL", "jdbc:h2:file:./data/ledger;DB_CLOSE_ON_EXIT=FALSE"),
                env("EXPORTER_DB_USER", "sa"), env("EXPORTER_DB_PASSWORD", ""));
        ledger.setReadOnly(true);
        return ledger;
    }

    @Override
    public Path auditDir() {
        return Path.of(env("EXPORTER_AUDIT_DIR", "data/audit"));
    }

    @Override
    public boolean objectLockExpected() {
        return !"off".equalsIgnoreCase(env("EXPORTER_S3_OBJECT_LOCK", "on"));
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
