package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backoff of deferred work ({@code exporter.retry.*}): the default, each failure class's own where set (keyed by the
 * class's key, e.g. {@code conflict}), inline redelivery's, and how often expansion is tried.
 */
public record RetrySettings(Backoff standard, Map<String, Backoff> perClass, Backoff inline) {

    /** From {@code baseDelay}, doubling up to {@code maxDelay}. */
    public record Backoff(Duration baseDelay, Duration maxDelay) {}

    static RetrySettings read(SettingsReader settings, List<String> failureClassKeys) {
        Duration base = settings.duration("exporter.retry.base-delay-ms", ChronoUnit.MILLIS);
        Duration max = settings.duration("exporter.retry.max-delay-ms", ChronoUnit.MILLIS);
        Map<String, Backoff> perClass = new LinkedHashMap<>();
        for (String key : failureClassKeys) {
            String keys = "exporter.retry." + key + ".";
            perClass.put(key, new Backoff(settings.millisOr(keys + "base-delay-ms", base),
                    settings.millisOr(keys + "max-delay-ms", max)));
        }
        return new RetrySettings(new Backoff(base, max), perClass, new Backoff(
                settings.duration("exporter.retry.inline.base-delay-ms", ChronoUnit.MILLIS),
                settings.duration("exporter.retry.inline.max-delay-ms", ChronoUnit.MILLIS)));
    }
}
