package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The reconcile poll, expansion, relisting and backfills ({@code exporter.poll.*}, {@code .expand.*}, ...). */
public record DiscoverySettings(int pollPageSize, Duration pollOverlap, Duration pollSettle,
        Duration pollInitialLookback, Duration pollMaxWindow, int expandBatchSize, int expandMaxAttempts,
        String relistSchedule, Duration relistMissing, Duration backfillChunk, Duration backfillMaxRange) {

    static DiscoverySettings read(SettingsReader settings, int maxBatchSize) {
        return new DiscoverySettings(settings.number("exporter.poll.page-size"),
                settings.duration("exporter.poll.overlap-minutes", ChronoUnit.MINUTES),
                settings.duration("exporter.poll.settle-seconds", ChronoUnit.SECONDS),
                settings.duration("exporter.poll.initial-lookback-hours", ChronoUnit.HOURS),
                settings.duration("exporter.poll.max-window-hours", ChronoUnit.HOURS),
                settings.number("exporter.expand.batch-size", 1, maxBatchSize, "one batch download"),
                settings.number("exporter.expand.max-attempts"), settings.text("exporter.relist.schedule"),
                settings.duration("exporter.relist.missing-seconds", ChronoUnit.SECONDS),
                settings.duration("exporter.backfill.chunk-hours", ChronoUnit.HOURS),
                settings.duration("exporter.backfill.max-range-days", ChronoUnit.DAYS));
    }
}
