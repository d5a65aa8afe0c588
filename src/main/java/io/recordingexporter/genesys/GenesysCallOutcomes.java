package io.recordingexporter.genesys;

/** Told of every Genesys API call as it returns: which endpoint (method and path template) and what came back. */
@FunctionalInterface
public interface GenesysCallOutcomes {

    /** The status of a call that got no HTTP answer (refused or reset connection, timeout, unknown host). */
    String NO_REPLY = "no_reply";

    GenesysCallOutcomes NONE = (endpoint, status) -> { };

    /** @param status the HTTP status code, or {@link #NO_REPLY} */
    void answered(String endpoint, String status);
}
