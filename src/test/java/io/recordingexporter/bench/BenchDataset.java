package io.recordingexporter.bench;

import io.recordingexporter.sandbox.SimulatedOrg;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The benchmark's seeded datasets: the same conversations, recordings, sizes and bytes on every run. Each part lives
 * on a day of its own, so a backfill of that day exports exactly that part.
 */
final class BenchDataset {

    static final long MIB = 1024 * 1024;

    /** Voice calls of half a minute to a few minutes; screen videos of a long session. */
    record Sizes(long voiceMin, long voiceMax, long screenMin, long screenMax, long chatMin, long chatMax) {
        static final Sizes THROUGHPUT = new Sizes(MIB / 2, 4 * MIB, 100 * MIB, 250 * MIB, 4_000, 80_000);
        static final Sizes SMALL = new Sizes(100_000, 500_000, 0, 0, 4_000, 40_000);
    }

    /** One day's part: its conversations, and what they hold. */
    record Part(String name, Instant day, List<SimulatedOrg.Conversation> conversations) {

        List<SimulatedOrg.Recording> recordings() {
            return conversations.stream().flatMap(c -> c.recordings().stream()).toList();
        }

        long bytes() {
            return recordings().stream().mapToLong(SimulatedOrg.Recording::sizeBytes).sum();
        }

        Instant from() {
            return day;
        }

        Instant to() {
            return day.plus(Duration.ofDays(1));
        }
    }

    private BenchDataset() {}

    /**
     * {@code voiceRecordings} voice recordings (about one call in five has two legs) and {@code screenRecordings}
     * screen recordings on calls of their own, about one conversation in ten under legal hold (deletion protection or
     * the participant attribute), every recording listed and ready at once (the simulator's delays at their minimum).
     */
    static Part calls(String name, long seed, Instant day, int voiceRecordings, int screenRecordings, Sizes sizes) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SimulatedOrg.Conversation> conversations = new ArrayList<>();
        int voiceLeft = voiceRecordings;
        int screensLeft = screenRecordings;
        while (voiceLeft > 0) {
            int legs = voiceLeft > 1 && random.nextDouble() < 0.2 ? 2 : 1;
            voiceLeft -= legs;
            // screen recordings spread over the calls, not bunched at the start
            boolean screen = screensLeft > 0 && random.nextInt(Math.max(1, (voiceLeft + legs) / screensLeft)) == 0;
            if (screen) {
                screensLeft--;
            }
            conversations.add(conversation(random, day, 22 * 3600, "voice", legs, screen, sizes));
        }
        return new Part(name, day, List.copyOf(conversations));
    }

    /** Short voice calls and chats, half and half, that ended within the hour: what webhooks announce all day. */
    static Part smallCallsAndChats(String name, long seed, Instant now, int conversations) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SimulatedOrg.Conversation> list = new ArrayList<>();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        for (int i = 0; i < conversations; i++) {
            list.add(conversation(random, hourAgo, 1800, i % 2 == 0 ? "voice" : "chat", 1, false, Sizes.SMALL));
        }
        return new Part(name, hourAgo, List.copyOf(list));
    }

    private static SimulatedOrg.Conversation conversation(SplittableRandom random, Instant from, long spreadSeconds,
            String kind, int legs, boolean screen, Sizes sizes) {
        String id = uuid(random);
        Instant start = from.plusSeconds(random.nextLong(spreadSeconds));
        Instant end = start.plusSeconds(60 + random.nextLong(1200));
        // (a conversation of the last hour has ended by now: at most 1,260 s long, started at least 1,800 s ago)
        List<SimulatedOrg.Recording> recordings = new ArrayList<>();
        if (kind.equals("voice")) {
            for (int leg = 0; leg < legs; leg++) {
                recordings.add(recording(random, id, "audio", start, end, sizes.voiceMin(), sizes.voiceMax()));
            }
            if (screen) {
                recordings.add(recording(random, id, "screen", start, end, sizes.screenMin(), sizes.screenMax()));
            }
        } else {
            recordings.add(recording(random, id, "chat", start, end, sizes.chatMin(), sizes.chatMax()));
        }
        double hold = random.nextDouble();
        return new SimulatedOrg.Conversation(id, start, end, kind, hold < 0.07, hold >= 0.05 && hold < 0.10,
                List.copyOf(recordings));
    }

    private static SimulatedOrg.Recording recording(SplittableRandom random, String conversationId, String media,
            Instant start, Instant end, long min, long max) {
        long size = min + (long) (random.nextDouble() * (max - min));
        return new SimulatedOrg.Recording(uuid(random), conversationId, media, start.plusSeconds(5), end, size,
                random.nextLong());
    }

    private static String uuid(SplittableRandom random) {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    /** One call under legal hold (deletion protection) with one screen recording of {@code bytes}. */
    static Part oneLargeScreen(String name, long seed, Instant day, long bytes) {
        SplittableRandom random = new SplittableRandom(seed);
        String id = uuid(random);
        Instant start = day.plusSeconds(3600);
        Instant end = start.plusSeconds(3 * 3600);
        SimulatedOrg.Recording screen = new SimulatedOrg.Recording(uuid(random), id, "screen", start.plusSeconds(5), end,
                bytes, random.nextLong());
        return new Part(name, day, List.of(new SimulatedOrg.Conversation(id, start, end, "voice", true, false,
                List.of(screen))));
    }

    /** One org holding every part: one simulator serves them all. */
    static SimulatedOrg orgOf(List<Part> parts) {
        return SimulatedOrg.of(parts.stream().flatMap(p -> p.conversations().stream()).toList());
    }
}
