package io.recordingexporter.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Failures the sandbox injects at the HTTP level ({@code SANDBOX_FAULTS}), each switchable on its own:
 * <ul>
 * <li>{@code lock-409}: recordings of legal-hold conversations answer 409 Conflict (batch result and per-recording
 * call) for the first {@code window} (default 40 s, {@code SANDBOX_FAULT_WINDOW_SECONDS}), as Genesys's metadata
 * lock does;</li>
 * <li>{@code screen-500}: screen recordings answer 500 for the first {@code window};</li>
 * <li>{@code slow}: every API reply and media download starts 100 to 600 ms late;</li>
 * <li>{@code rate-429}: about 3 % of API calls answer 429 with {@code Retry-After: 2}, whatever the real limit;</li>
 * <li>{@code drop}: about one media download in ten is cut off halfway, the first time;</li>
 * <li>{@code servicenow-down}: ServiceNow answers 503 for the first one and a half {@code window}s;</li>
 * <li>{@code s3-down}: the S3 server is unreachable (connections cut and refused) for one {@code window}, starting
 * half a window after the start.</li>
 * </ul>
 */
public record SandboxFaults(Set<String> enabled, Instant since, Duration window) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(40);
    public static final List<String> AVAILABLE = List.of("lock-409", "screen-500", "slow", "rate-429", "drop",
            "servicenow-down", "s3-down");
    /** Named by the design but not injected by this build yet. */
    public static final List<String> NOT_YET = List.of();

    public static SandboxFaults none() {
        return new SandboxFaults(Set.of(), Instant.now(), DEFAULT_WINDOW);
    }

    /** Parses {@code SANDBOX_FAULTS}: a comma list of the names above; anything else is refused with the list. */
    public static SandboxFaults parse(String list, Instant since) {
        return parse(list, since, DEFAULT_WINDOW);
    }

    public static SandboxFaults parse(String list, Instant since, Duration window) {
        Set<String> enabled = new LinkedHashSet<>();
        for (String raw : list.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (NOT_YET.contains(name)) {
                throw new IllegalArgumentException("SANDBOX_FAULTS: " + name + " is not available in this build yet;"
                        + " available: " + String.join(",", AVAILABLE));
            }
            if (!AVAILABLE.contains(name)) {
                throw new IllegalArgumentException("SANDBOX_FAULTS: unknown fault '" + name + "'; available: "
                        + String.join(",", AVAILABLE));
            }
            enabled.add(name);
        }
        return new SandboxFaults(Set.copyOf(enabled), since, window);
    }

    /** The same faults, their windows counted from {@code start} instead. */
    public SandboxFaults startingAt(Instant start) {
        return new SandboxFaults(enabled, start, window);
    }

    public boolean on(String fault) {
        return enabled.contains(fault);
    }

    /** The fault is on and its window (counted from {@link #since}; 1.5 windows for ServiceNow) has not passed. */
    public boolean within(String fault) {
        Duration length = fault.equals("servicenow-down") ? window.plus(window.dividedBy(2)) : window;
        return on(fault) && Instant.now().isBefore(since.plus(length));
    }
}
