package io.recordingexporter.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated Genesys Cloud org, the same for the same seed: conversations over voice (some with the agent's screen
 * recorded), chat, SMS and email, about one in ten under legal hold, with media of realistic sizes. Media bytes are
 * generated on demand from each recording's seed, so the org costs no memory and its SHA-256 can always be recomputed.
 */
public final class SimulatedOrg {

    /** Size ranges in bytes (drawn log-uniformly), by media. */
    public record MediaSizes(long voiceMin, long voiceMax, long screenMin, long screenMax, long textMin, long textMax,
            long oneLargeScreen) {

        public MediaSizes(long voiceMin, long voiceMax, long screenMin, long screenMax, long textMin, long textMax) {
            this(voiceMin, voiceMax, screenMin, screenMax, textMin, textMax, 0);
        }

        /** The same sizes, except that one legal-hold screen recording is this big (SANDBOX_LARGE_SCREEN_MIB). */
        public MediaSizes withOneLargeScreen(long bytes) {
            return new MediaSizes(voiceMin, voiceMax, screenMin, screenMax, textMin, textMax, bytes);
        }

        /** Calls of a few minutes, screen videos of tens of MB, transcripts and mails of tens of KB. */
        public static final MediaSizes REALISTIC = new MediaSizes(150_000, 6_000_000, 2_000_000, 25_000_000, 4_000, 80_000);
        /** Small enough for fast tests, still spread over several buffer sizes. */
        public static final MediaSizes SMALL = new MediaSizes(20_000, 200_000, 50_000, 400_000, 1_000, 20_000);
    }

    public record Recording(String id, String conversationId, String media, Instant start, Instant end, long sizeBytes,
            long contentSeed) {

        public String contentType() {
            return switch (media) {
                case "audio" -> "audio/wav";
                case "screen" -> "video/webm";
                case "email" -> "message/rfc822";
                default -> "application/json";
            };
        }

        /** One recording in about thirty was made just before the simulator started: Genesys is still transcoding it. */
        public boolean transcodedLate() {
            return Math.floorMod(contentSeed, 30) == 0;
        }

        public InputStream open() {
            return new SyntheticMedia(this);
        }
    }

    public record Conversation(String id, Instant start, Instant end, String kind, boolean protectedFromDeletion,
            boolean legalHoldAttribute, List<Recording> recordings) {

        /** Under legal hold by either of Genesys's mechanisms. */
        public boolean legalHold() {
            return protectedFromDeletion || legalHoldAttribute;
        }
    }

    private final List<Conversation> conversations;
    private final Map<String, Conversation> byId = new LinkedHashMap<>();
    private final Map<String, Recording> recordingsById = new LinkedHashMap<>();
    private final Map<String, String> sha256ById = new ConcurrentHashMap<>();

    private SimulatedOrg(List<Conversation> conversations) {
        this.conversations = Collections.unmodifiableList(conversations);
        for (Conversation conversation : conversations) {
            byId.put(conversation.id(), conversation);
            for (Recording recording : conversation.recordings()) {
                recordingsById.put(recording.id(), recording);
            }
        }
    }

    /** An org of exactly these conversations (a benchmark's dataset, say). */
    public static SimulatedOrg of(List<Conversation> conversations) {
        return new SimulatedOrg(new ArrayList<>(conversations));
    }

    public static SimulatedOrg generate(long seed, int count, Instant now, MediaSizes sizes) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String conversationId = uuid(random);
            // spread over the last 30 days, ending at least an hour ago
            Instant start = now.minus(Duration.ofHours(1)).minusSeconds(random.nextLong(30L * 24 * 3600));
            double kindDraw = random.nextDouble();
            String kind = kindDraw < 0.55 ? "voice" : kindDraw < 0.75 ? "chat" : kindDraw < 0.90 ? "sms" : "email";
            long durationSeconds = 60 + random.nextLong(kind.equals("voice") ? 1200 : 1800);
            Instant end = start.plusSeconds(durationSeconds);
            List<Recording> recordings = new ArrayList<>();
            switch (kind) {
                case "voice" -> {
                    int legs = random.nextDouble() < 0.2 ? 2 : 1;
                    for (int leg = 0; leg < legs; leg++) {
                        recordings.add(recording(random, conversationId, "audio", start, end, sizes.voiceMin(), sizes.voiceMax()));
                    }
                    if (random.nextDouble() < 0.35) {
                        recordings.add(recording(random, conversationId, "screen", start, end, sizes.screenMin(), sizes.screenMax()));
                    }
                }
                case "chat" -> recordings.add(recording(random, conversationId, "chat", start, end, sizes.textMin(), sizes.textMax()));
                case "sms" -> recordings.add(recording(random, conversationId, "message", start, end, sizes.textMin(), sizes.textMax()));
                default -> recordings.add(recording(random, conversationId, "email", start, end, sizes.textMin(), sizes.textMax()));
            }
            double holdDraw = random.nextDouble();
            boolean protectedFromDeletion = holdDraw < 0.07;
            boolean attribute = holdDraw >= 0.05 && holdDraw < 0.10;
            conversations.add(new Conversation(conversationId, start, end, kind, protectedFromDeletion, attribute,
                    List.copyOf(recordings)));
        }
        return new SimulatedOrg(sizes.oneLargeScreen() > 0 ? withOneLargeScreen(conversations, sizes.oneLargeScreen())
                : conversations);
    }

    /** The first screen recording of a conversation under legal hold (else the first at all) made {@code bytes} big. */
    private static List<Conversation> withOneLargeScreen(List<Conversation> conversations, long bytes) {
        Conversation chosen = conversations.stream()
                .filter(c -> c.protectedFromDeletion() && c.recordings().stream().anyMatch(r -> r.media().equals("screen")))
                .findFirst()
                .orElseGet(() -> conversations.stream()
                        .filter(c -> c.recordings().stream().anyMatch(r -> r.media().equals("screen"))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("the org has no screen recording to make large")));
        List<Conversation> changed = new ArrayList<>();
        for (Conversation conversation : conversations) {
            if (conversation != chosen) {
                changed.add(conversation);
                continue;
            }
            List<Recording> recordings = new ArrayList<>();
            boolean done = false;
            for (Recording r : conversation.recordings()) {
                if (!done && r.media().equals("screen")) {
                    recordings.add(new Recording(r.id(), r.conversationId(), r.media(), r.start(), r.end(), bytes,
                            r.contentSeed()));
                    done = true;
                } else {
                    recordings.add(r);
                }
            }
            changed.add(new Conversation(conversation.id(), conversation.start(), conversation.end(), conversation.kind(),
                    conversation.protectedFromDeletion(), conversation.legalHoldAttribute(), List.copyOf(recordings)));
        }
        return changed;
    }

    private static Recording recording(SplittableRandom random, String conversationId, String media, Instant start,
            Instant end, long minBytes, long maxBytes) {
        double logSize = Math.log(minBytes) + random.nextDouble() * (Math.log(maxBytes) - Math.log(minBytes));
        Instant recordingStart = start.plusSeconds(random.nextLong(5, 30));
        return new Recording(uuid(random), conversationId, media, recordingStart, end, (long) Math.exp(logSize),
                random.nextLong());
    }

    private static String uuid(SplittableRandom random) {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    public List<Conversation> conversations() {
        return conversations;
    }

    public Conversation conversation(String id) {
        return byId.get(id);
    }

    public Recording recording(String id) {
        return recordingsById.get(id);
    }

    public int recordingCount() {
        return recordingsById.size();
    }

    /** The SHA-256 of a recording's media, computed by streaming it once. */
    public String sha256Of(String recordingId) {
        return sha256ById.computeIfAbsent(recordingId, id -> {
            try (InputStream in = recording(id).open()) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    sha256.update(buffer, 0, read);
                }
                return HexFormat.of().formatHex(sha256.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
