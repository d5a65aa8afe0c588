package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.ApiException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a conversation is under legal hold, and why: Genesys's own mechanism (the conversation is protected
 * from deletion), a participant attribute, or the webhook's flag. The union decides; the answer names every source
 * that said yes. Deletion protection is asked for 100 conversations per call and cached for {@code refreshAfter}, so a
 * batch costs one call and a conversation that becomes protected is seen on the next refresh.
 */
public class LegalHoldRegistry {

    public static final String DELETION_PROTECTION = "deletion-protection";

    private record Known(boolean protectedFromDeletion, Instant checkedAt) {}

    private final GenesysRecordings genesys;
    private final Duration refreshAfter;
    private final Clock clock;
    private final Map<String, Known> protection = new ConcurrentHashMap<>();

    public LegalHoldRegistry(GenesysRecordings genesys, Duration refreshAfter, Clock clock) {
        this.genesys = genesys;
        this.refreshAfter = refreshAfter;
        this.clock = clock;
    }

    /** The decision for one conversation: held or not, and the sources that hold it (comma-separated, sorted). */
    public record Decision(boolean legalHold, String sources) {}

    /**
     * Decides for every conversation given, with the sources the intake already recorded ({@code webhook},
     * {@code attribute:<name>}) as {@code claimedSources}.
     */
    public Map<String, Decision> decide(Map<String, String> claimedSources) throws IOException, ApiException {
        Set<String> protectedOnes = protectedAmong(new ArrayList<>(claimedSources.keySet()));
        Map<String, Decision> decisions = new LinkedHashMap<>();
        claimedSources.forEach((conversationId, claimed) -> {
            Set<String> sources = new TreeSet<>();
            if (claimed != null && !claimed.isBlank()) {
                for (String source : claimed.split(",")) {
                    sources.add(source.trim());
                }
            }
            if (protectedOnes.contains(conversationId)) {
                sources.add(DELETION_PROTECTION);
            }
            decisions.put(conversationId, new Decision(!sources.isEmpty(), sources.isEmpty() ? null : String.join(",", sources)));
        });
        return decisions;
    }

    /** Which of the conversations are protected from deletion, from the cache where it is fresh. */
    public Set<String> protectedAmong(List<String> conversationIds) throws IOException, ApiException {
        Instant now = clock.instant();
        List<String> toAsk = new ArrayList<>();
        for (String id : conversationIds) {
            Known known = protection.get(id);
            if (known == null || known.checkedAt().plus(refreshAfter).isBefore(now)) {
                toAsk.add(id);
            }
        }
        for (int from = 0; from < toAsk.size(); from += BatchDownloads.MAX_REQUESTS) {
            List<String> chunk = toAsk.subList(from, Math.min(toAsk.size(), from + BatchDownloads.MAX_REQUESTS));
            Set<String> protectedInChunk = genesys.protectedFromDeletion(chunk);
            for (String id : chunk) {
                protection.put(id, new Known(protectedInChunk.contains(id), now));
            }
        }
        Set<String> protectedOnes = new LinkedHashSet<>();
        for (String id : conversationIds) {
            Known known = protection.get(id);
            if (known != null && known.protectedFromDeletion()) {
                protectedOnes.add(id);
            }
        }
        return protectedOnes;
    }
}
