package io.recordingexporter;

import io.recordingexporter.settings.ExporterSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the verifier sub-commands read: the bucket, the ledger, the audit trail and Genesys. The service's come from
 * its configuration ({@link #fromConfiguration()}); the sandbox supplies its own simulated parts. Each is opened only when
 * a command needs it ({@code verify-audit --no-digests} never touches S3) and closed with the sources.
 */
public interface VerifierSources extends AutoCloseable {

    /** The bucket the exports are in, with the client that reads it. */
    record Storage(S3Client s3, String bucket, String prefix) {}

    /** A Genesys org to ask, with a client's credentials. */
    record Genesys(String apiBaseUrl, String loginBaseUrl, String clientId, String clientSecret) {}

    Storage storage() throws Exception;

    Genesys genesys() throws Exception;

    /** The ledger, opened to read only; the caller closes it. */
    Connection readOnlyLedger() throws SQLException;

    /** Where the audit trail is when the command names no folder. */
    Path auditDir();

    /** Whether exported objects must carry an Object Lock legal hold where the recording is held. */
    boolean objectLockExpected();

    @Override
    void close() throws Exception;

    /** As the service is configured: {@code config/application.properties} and the environment it names. */
    static VerifierSources fromConfiguration() {
        return of(ExporterBeans.settingsFromConfiguration());
    }

    /** The service's parts as {@code settings} name them. */
    static VerifierSources of(ExporterSettings settings) {
        return new ConfiguredVerifierSources(settings);
    }
}
