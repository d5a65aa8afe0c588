package io.recordingexporter.genesys;

/**
 * A media download the exporter refused, never to be retried as if it were transient: a link to a host or address it
 * may not fetch from (or a redirect to one), a body over the lane's byte cap, or a body that stalled or outlasted the
 * lane's deadline. {@link #reason()} says which; the failure classes are named after it.
 */
public class MediaRefusedException extends RuntimeException {

    /** What was refused. */
    public enum Reason {
        /** host not on the allow-list, plain http, an internal address, or a redirect to any of these */
        HOST,
        /** more bytes than the lane's cap, announced or sent */
        TOO_LARGE,
        /** no byte within the lane's idle timeout, or the whole body not within its deadline */
        STALLED
    }

    private final Reason reason;

    public MediaRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
