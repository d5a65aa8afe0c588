package io.recordingexporter;

import io.recordingexporter.custody.S3Connections;
import io.recordingexporter.genesys.GenesysHosts;
import io.recordingexporter.settings.ExporterSettings;
import io.recordingexporter.settings.GenesysSettings;
import io.recordingexporter.settings.LedgerSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The service's own settings, read as the service reads them ({@code config/application.properties} and its
 * environment variables), so a verifier looks where the service wrote.
 */
final class ConfiguredVerifierSources implements VerifierSources {

    private final ExporterSettings settings;
    private S3Client s3;

    ConfiguredVerifierSources(ExporterSettings settings) {
        this.settings = settings;
    }

    @Override
    public Storage storage() {
        if (s3 == null) {
            s3 = S3Connections.builder(settings.storage().endpoint(), settings.storage().region()).build();
        }
        return new Storage(s3, settings.storage().bucket(), settings.storage().prefix());
    }

    @Override
    public Genesys genesys() {
        GenesysSettings genesys = settings.genesys();
        GenesysHosts hosts = GenesysHosts.of(genesys.region(), genesys.apiBaseUrl(), genesys.loginBaseUrl());
        return new Genesys(hosts.apiBaseUrl(), hosts.loginBaseUrl(), genesys.clientId(), genesys.clientSecret());
    }

    /** The ledger (by default the embedded H2 file under ./data, which a running service holds open). */
    @Override
    public Connection readOnlyLedger() throws SQLException {
        LedgerSettings ledger = settings.ledger();
        Connection connection = DriverManager.getConnection(ledger.url(), ledger.user(), ledger.password());
        connection.setReadOnly(true);
        return connection;
    }

    @Override
    public Path auditDir() {
        return Path.of(settings.audit().dir());
    }

    @Override
    public boolean objectLockExpected() {
        return !"off".equalsIgnoreCase(settings.storage().objectLock());
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
