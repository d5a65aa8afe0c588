package io.recordingexporter.failures;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mypurecloud.sdk.v2.ApiException;

/** The text a failure leaves in the ledger and the audit trail: short, and with what Genesys support will ask for. */
public final class FailureDescription {

    private FailureDescription() {}

    /** What the ledger and the audit trail say of a failure: Genesys's status, message and correlation id, or the error. */
    public static String of(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof ApiException api) {
            return "Genesys answered HTTP " + api.getStatusCode() + genesysMessage(api) + correlation(api);
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }

    /** The {@code message} of a Genesys error body, when there is one. */
    private static String genesysMessage(ApiException api) {
        if (!api.hasRawBody()) {
            return "";
        }
        try {
            String message = ERROR_JSON.readTree(api.getRawBody()).path("message").asText("");
            return message.isBlank() ? "" : ": " + message.strip();
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    private static String correlation(ApiException api) {
        String id = api.getCorrelationId();
        return id == null || id.isBlank() ? "" : " (inin-correlation-id " + id + ")";
    }

    private static final ObjectMapper ERROR_JSON = new ObjectMapper();
}
