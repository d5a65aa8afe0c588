package io.recordingexporter.genesys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a conversation's recordings are listed again. Genesys's list grows after a conversation ends (screen recordings
 * are uploaded from the agent's desktop afterwards; transcoding and uploads take time), so "listed once" is not
 * "complete": a conversation is listed again at fixed points counted from its end ({@code EXPORTER_RELIST_SCHEDULE},
 * default 2 min, 10 min, 1 h, 6 h, 24 h, 72 h) and, whatever its age, sooner while its analytics sessions show a medium
 * no listed recording has (a screen-share session without a screen recording): first {@code missingFirst} after the
 * listing ({@code EXPORTER_RELIST_MISSING_SECONDS}, default 60 s), then each wait doubled, but never later than the next
 * scheduled point. The missing-medium waits stop once a doubled wait would exceed the schedule's last point: some
 * sessions never get a recording. A conversation with no relisting ahead is settled.
 */
public record RelistSchedule(List<Duration> afterEnd, Duration missingFirst) {

    /** The default schedule, counted from the conversation's end. */
    public static final String DEFAULT = "2m,10m,1h,6h,24h,72h";

    public RelistSchedule {
        afterEnd = List.copyOf(afterEnd);
        if (afterEnd.isEmpty() || missingFirst.isNegative() || missingFirst.isZero()) {
            throw new IllegalArgumentException("a relist schedule needs at least one point and a positive first wait");
        }
        for (int i = 1; i < afterEnd.size(); i++) {
            if (afterEnd.get(i).compareTo(afterEnd.get(i - 1)) <= 0) {
                throw new IllegalArgumentException("EXPORTER_RELIST_SCHEDULE must grow: " + afterEnd);
            }
        }
    }

    /** The next listing, and the missing-medium wait it was chosen with (null when no medium is missing). */
    public record Next(Instant at, Duration missingWait) {}

    /**
     * After a listing at {@code now} of a conversation that ended at {@code end} (null: not ended yet, counted from
     * now), with {@code missing} media shown by its sessions but not listed, and {@code lastMissingWait} the wait chosen
     * after the listing before (null if none): the next listing, or null when the conversation is settled.
     */
    public Next next(Instant end, Instant now, Set<String> missing, Duration lastMissingWait) {
        Instant from = end == null || end.isAfter(now) ? now : end;
        Instant scheduled = null;
        for (Duration point : afterEnd) {
            Instant at = from.plus(point);
            if (at.isAfter(now)) {
                scheduled = at;
                break;
            }
        }
        if (missing.isEmpty()) {
            return scheduled == null ? null : new Next(scheduled, null);
        }
        Duration wait = lastMissingWait == null ? missingFirst : lastMissingWait.multipliedBy(2);
        if (wait.compareTo(afterEnd.get(afterEnd.size() - 1)) > 0) {
            return scheduled == null ? null : new Next(scheduled, null);
        }
        Instant sooner = now.plus(wait);
        return new Next(scheduled == null || sooner.isBefore(scheduled) ? sooner : scheduled, wait);
    }

    /** Reads {@code 2m,10m,1h,6h,24h,72h}: numbers with s, m, h or d. */
    public static List<Duration> parse(String text) {
        List<Duration> points = new ArrayList<>();
        for (String raw : text.split(",")) {
            String point = raw.strip().toLowerCase(Locale.ROOT);
            if (point.isEmpty()) {
                continue;
            }
            try {
                long amount = Long.parseLong(point.substring(0, point.length() - 1));
                points.add(switch (point.charAt(point.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    case 'd' -> Duration.ofDays(amount);
                    default -> throw new NumberFormatException();
                });
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("EXPORTER_RELIST_SCHEDULE: '" + raw.strip()
                        + "' is not a duration like 90s, 10m, 6h or 3d");
            }
        }
        return points;
    }
}
