package io.recordingexporter.intake;

/** A webhook call refused before anything was recorded: the HTTP status and the JSON error body to answer with. */
public class WebhookRejectedException extends RuntimeException {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final int status;
    private final String field;

    public WebhookRejectedException(int status, String error, String field) {
        super(error);
        this.status = status;
        this.field = field;
    }

    /**
     * The refusal a failure carries: itself, or the cause an expression or bean call wrapped it in (the error policy
     * matches causes too, and must answer with the refusal's status, not the wrapper's).
     */
    public static WebhookRejectedException in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof WebhookRejectedException refusal) {
                return refusal;
            }
        }
        throw new IllegalArgumentException("no refusal in " + failure);
    }

    public int getStatus() {
        return status;
    }

    public String getField() {
        return field;
    }

    /** The reply body: {@code {"error": "...", "field": "..."}}, field null when the whole request is at fault. */
    public String getErrorBody() {
        var body = JSON.createObjectNode();
        body.put("error", getMessage());
        body.put("field", field);
        return body.toString();
    }
}
