package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * One lane's limits ({@code exporter.lane.<name>.*}): the whole-body deadline, idle timeout and size cap of a
 * download, how long a recording may take before it is FAILED, its inline redeliveries, and its goal: how long its
 * oldest waiting recording may wait before operators are alerted. Its threads and queue are read by the lane's route.
 */
public record LaneSettings(String name, Duration downloadTimeout, Duration idleTimeout, long maxBytes,
        Duration deadline, int inlineRedeliveries, Duration goal) {

    static LaneSettings read(SettingsReader settings, String lane) {
        String keys = "exporter.lane." + lane + ".";
        return new LaneSettings(lane, settings.duration(keys + "download-timeout-ms", ChronoUnit.MILLIS),
                settings.duration(keys + "idle-timeout-ms", ChronoUnit.MILLIS), settings.mebibytes(keys + "max-mib"),
                settings.duration(keys + "deadline-hours", ChronoUnit.HOURS),
                settings.number(keys + "inline-redeliveries"),
                settings.duration(keys + "goal-minutes", ChronoUnit.MINUTES));
    }
}
