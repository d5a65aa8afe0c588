package io.recordingexporter.ledger;

import java.util.regex.Pattern;

/**
 * The error text the read endpoints show: the failure's class and the first line of its message, short. The ledger
 * keeps the full text for the operator's logs and incidents; a reply never carries a stack trace, and never the query
 * of a URL (a pre-signed media link's signature is a credential).
 */
final class ReplyError {

    static final int MAX_MESSAGE = 240;
    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s?#]+)[?#]\\S*");

    private ReplyError() {}

    /** {@code class: message}, or the message alone when no class was recorded; null when there is no error. */
    static String of(String failureClass, String error) {
        if (error == null || error.isBlank()) {
            return null;
        }
        String line = error.strip().lines().findFirst().orElse("");
        line = URL_QUERY.matcher(line).replaceAll("$1?…");
        if (line.length() > MAX_MESSAGE) {
            line = line.substring(0, MAX_MESSAGE - 1) + "…";
        }
        return failureClass == null || failureClass.isBlank() ? line : failureClass + ": " + line;
    }
}
