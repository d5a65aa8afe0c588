package io.recordingexporter.intake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The bearer token of one set of endpoints (the webhook token for what writes, the read token for what reports):
 * compared in constant time, taken from the {@code Authorization} header only. A credential in the URL is refused
 * whether or not it is right: URLs end up in proxy and access logs, and the HTTP layer would otherwise pass a query
 * parameter named like the header off as the header. With no token configured every call is refused.
 */
public final class BearerGate {

    private static final String BEARER = "Bearer ";
    private static final Set<String> CREDENTIAL_PARAMETERS = Set.of("authorization", "access_token", "token",
            "bearer", "api_key", "apikey");

    private final byte[] expectedDigest;

    public BearerGate(String token) {
        this.expectedDigest = token == null || token.isBlank() ? null : sha256(token.trim());
    }

    public void authenticate(@Header("Authorization") Object authorization, @Header(Exchange.HTTP_QUERY) String query) {
        if (query != null && !query.isBlank()) {
            for (String parameter : query.split("&")) {
                String name = URLDecoder.decode(parameter.split("=", 2)[0], StandardCharsets.UTF_8);
                if (CREDENTIAL_PARAMETERS.contains(name.trim().toLowerCase(Locale.ROOT))) {
                    throw new WebhookRejectedException(400, "credentials go in the Authorization header, never in"
                            + " the URL", name);
                }
            }
        }
        if (expectedDigest == null || !(authorization instanceof String header) || !header.startsWith(BEARER)) {
            throw new WebhookRejectedException(401, "missing or invalid bearer token", null);
        }
        // comparing digests keeps the comparison constant-time whatever the length of what was sent
        if (!MessageDigest.isEqual(expectedDigest, sha256(header.substring(BEARER.length()).trim()))) {
            throw new WebhookRejectedException(401, "missing or invalid bearer token", null);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
