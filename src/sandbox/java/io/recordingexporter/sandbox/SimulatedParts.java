package io.recordingexporter.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the exporter finds the simulated parts, as property overrides: the Genesys simulator (API, login, and the media
 * links it serves on loopback, which the exporter fetches only from hosts it is told to trust), an S3 server without
 * Object Lock (S3Proxy answers 501, so holds are off, with the start-up warning), and the webhook token. The one map
 * the sandbox and the tests both start the exporter with; each adds only what its own run tunes.
 */
public record SimulatedParts(String genesysBaseUrl, String clientId, String clientSecret, String s3Endpoint,
        String bucket, String webhookToken, String readToken) {

    /** The simulated org's id. */
    public static final String ORGANIZATION_ID = "5a1e0c3d-7b2f-4e9a-8c6d-0f1e2d3c4b5a";

    public Map<String, String> exporterProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("genesys.api-base-url", genesysBaseUrl);
        properties.put("genesys.login-base-url", genesysBaseUrl);
        properties.put("genesys.client-id", clientId);
        properties.put("genesys.client-secret", clientSecret);
        properties.put("genesys.media-hosts", "127.0.0.1");
        properties.put("exporter.s3.object-lock", "off");
        properties.put("exporter.s3.endpoint", s3Endpoint);
        properties.put("exporter.s3.bucket", bucket);
        properties.put("exporter.webhook.token", webhookToken);
        properties.put("exporter.read.token", readToken);
        // the simulated org's id: leads every key when EXPORTER_S3_KEY_LAYOUT=genesys-bulk
        properties.put("genesys.organization-id", System.getenv().getOrDefault("GENESYS_ORGANIZATION_ID",
                ORGANIZATION_ID));
        return properties;
    }
}
