package io.recordingexporter.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recordingexporter.ExporterBeans;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The settings as the service reads them: the defaults of config/application.properties, and bad values refused. */
class ExporterSettingsTest {

    private static ExporterSettings read(Map<String, String> overrides) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:config/application.properties");
        Properties properties = new Properties();
        properties.putAll(overrides);
        context.getPropertiesComponent().setOverrideProperties(properties);
        return ExporterBeans.settings(context);
    }

    @Test
    void theDefaultsAreReadTypedAndGroupedByConcern() {
        ExporterSettings settings = read(Map.of());
        assertEquals(ExporterBeans.LANES, settings.lanes().keySet().stream().toList(), "every lane, in order");
        assertEquals("screen-legal-hold", settings.lanes().get("screen-legal-hold").name());
        assertTrue(settings.lanes().get("screen").maxBytes() > 1024L * 1024, "sizes in bytes");
        assertEquals(Duration.ofMinutes(30), settings.discovery().pollOverlap());
        assertEquals(settings.retry().standard(), settings.retry().perClass().get("permanent"),
                "a class without keys of its own backs off like the default");
        assertEquals(4096L * 1024 * 1024, settings.storage().multipartThresholdBytes());
    }

    @Test
    void everyBadValueIsNamedInOneRefusal() {
        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class, () -> read(Map.of(
                "exporter.db.pool-size", "lots",
                "exporter.expand.batch-size", "500",
                "exporter.ledger.lease-seconds", "30", "exporter.ledger.lease-renew-interval-ms", "60000",
                "exporter.s3.bucket-key", "maybe",
                "exporter.s3.bucket", " ")));
        assertEquals(5, refused.problems().size(), refused.getMessage());
        assertTrue(refused.getMessage().contains("exporter.db.pool-size must be a whole number, not 'lots'"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("exporter.expand.batch-size must be 1 to 100"), refused.getMessage());
        assertTrue(refused.getMessage().contains("EXPORTER_LEASE_RENEW_INTERVAL_MS (60000)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("exporter.s3.bucket-key must be true or false"), refused.getMessage());
        assertTrue(refused.getMessage().contains("exporter.s3.bucket must not be empty"), refused.getMessage());
    }

    @Test
    void theGenesysBulkLayoutNeedsTheOrganizationIdAndAnUnknownLayoutIsRefused() {
        InvalidSettingsException unknown = assertThrows(InvalidSettingsException.class,
                () -> read(Map.of("exporter.s3.key-layout", "flat")));
        assertTrue(unknown.getMessage().contains("EXPORTER_S3_KEY_LAYOUT) must be one of [default, genesys-bulk]"),
                unknown.getMessage());
        InvalidSettingsException withoutOrg = assertThrows(InvalidSettingsException.class,
                () -> read(Map.of("exporter.s3.key-layout", "genesys-bulk")));
        assertTrue(withoutOrg.getMessage().contains("needs GENESYS_ORGANIZATION_ID"), withoutOrg.getMessage());
        assertThrows(InvalidSettingsException.class, () -> read(Map.of("exporter.s3.key-layout", "genesys-bulk",
                "genesys.organization-id", "../elsewhere")), "not a UUID");
        StorageSettings bulk = read(Map.of("exporter.s3.key-layout", "genesys-bulk",
                "genesys.organization-id", "5a1e0c3d-7b2f-4e9a-8c6d-0f1e2d3c4b5a")).storage();
        assertEquals("genesys-bulk", bulk.keyLayout());
        assertEquals("default", read(Map.of()).storage().keyLayout());
    }

    @Test
    void secretsStayOutOfTheSettingsText() {
        ExporterSettings settings = read(Map.of("genesys.client-secret", "genesys-s3cret",
                "servicenow.password", "snow-s3cret", "servicenow.client-secret", "snow-client-s3cret",
                "exporter.db.password", "db-s3cret", "exporter.webhook.token", "webhook-s3cret",
                "exporter.audit.http.token", "audit-s3cret"));
        assertEquals("genesys-s3cret", settings.genesys().clientSecret(), "read");
        for (String secret : new String[] {"genesys-s3cret", "snow-s3cret", "snow-client-s3cret", "db-s3cret",
                "webhook-s3cret", "audit-s3cret"}) {
            assertFalse(settings.toString().contains(secret), secret + " printed in " + settings);
        }
    }
}
