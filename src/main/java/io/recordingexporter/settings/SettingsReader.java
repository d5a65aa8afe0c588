package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads configuration keys through one resolver (Camel's property resolution, so {@code {{env:NAME:default}}} and
 * overrides apply) and collects every bad value instead of stopping at the first: the service refuses to start with
 * one message that names each key to fix. A bad value reads as zero or empty meanwhile and is never used.
 */
public final class SettingsReader {

    private static final long MEBIBYTE = 1024L * 1024;

    private final Function<String, Optional<String>> resolve;
    private final List<String> problems = new ArrayList<>();

    public SettingsReader(Function<String, Optional<String>> resolve) {
        this.resolve = resolve;
    }

    /** The value, trimmed; empty when the key is unset or blank. */
    public String optional(String key) {
        return resolve.apply(key).map(String::trim).orElse("");
    }

    /**
     * A URL credentials travel to (a login, a password, a bearer token): https, or http only to a loopback address (a
     * stand-in on this host); empty when unset.
     */
    public String credentialUrl(String key) {
        String value = optional(key);
        if (value.isEmpty()) {
            return value;
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
            problem(key + " is not a URL");
            return value;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && loopback(uri.getHost()))) {
            problem(key + " must be an https URL (http only to a loopback address): credentials are sent to it, got "
                    + (scheme.isEmpty() ? "no scheme" : scheme + "://" + uri.getHost()));
        }
        return value;
    }

    private static boolean loopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.equalsIgnoreCase("localhost") || bare.matches("127(\\.\\d{1,3}){3}") || bare.equals("::1");
    }

    /** A value that must be set. */
    public String text(String key) {
        String value = optional(key);
        if (value.isBlank()) {
            problem(key + " must not be empty");
        }
        return value;
    }

    public int number(String key) {
        String value = text(key);
        if (value.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            problem(key + " must be a whole number, not '" + value + "'");
            return 0;
        }
    }

    /** A whole number from {@code min} to {@code max}, with why when it is not. */
    public int number(String key, int min, int max, String why) {
        int value = number(key);
        if (optional(key).matches("-?\\d+") && (value < min || value > max)) {
            problem(key + " must be " + min + " to " + max + " (" + why + "), not " + value);
        }
        return value;
    }

    /** A share above 0 and at most 1 (0.5 is half); 1 when it is not one, after noting the problem. */
    public double share(String key) {
        String value = text(key);
        try {
            double share = Double.parseDouble(value);
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // noted below
        }
        if (!value.isBlank()) {
            problem(key + " must be a share above 0 and at most 1 (0.5 is half), not '" + value + "'");
        }
        return 1;
    }

    public boolean flag(String key) {
        String value = text(key);
        if (!value.isBlank() && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            problem(key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    public Duration duration(String key, ChronoUnit unit) {
        return Duration.of(number(key), unit);
    }

    /** Milliseconds from {@code key}, or {@code fallback} when it is unset. */
    public Duration millisOr(String key, Duration fallback) {
        return optional(key).isBlank() ? fallback : duration(key, ChronoUnit.MILLIS);
    }

    public long mebibytes(String key) {
        return number(key) * MEBIBYTE;
    }

    public void problem(String message) {
        problems.add(message);
    }

    /** Throws one exception naming every bad value read so far. */
    public void requireValid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }
}
