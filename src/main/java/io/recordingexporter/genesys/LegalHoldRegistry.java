package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.domain.LegalHoldAttribute;
import io.recordingexporter.domain.LegalHoldDecision;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Asks Genesys what the legal-hold rule ({@link LegalHoldDecision}) needs to decide a conversation before a recording's
 * lane is chosen, whatever the intake: deletion protection, asked for 100 conversations per call (cached for
 * {@code refreshAfter}), and, for a conversation no source holds yet, its participants' attribute, read in real time
 * ({@code GET /api/v2/conversations/{id}}, one call each, a few at once, from the shared budget) unless its intake
 * already read it (the poll's details jobs carry attributes).
 */
public class LegalHoldRegistry {

    private static final int NOT_FOUND = 404;
    /** Attribute reads of one batch made at once; the shared budget still paces them. */
    private static final int PARALLEL_READS = 4;

    private record Known(boolean protectedFromDeletion, Instant checkedAt) {}

    private final GenesysRecordings genesys;
    private final LegalHoldAttribute attribute;
    private final Duration refreshAfter;
    private final Clock clock;
    private final Map<String, Known> protection = new ConcurrentHashMap<>();
    private final ExecutorService attributeReads = Executors.newFixedThreadPool(PARALLEL_READS, runnable -> {
        Thread thread = new Thread(runnable, "legal-hold-attribute");
        thread.setDaemon(true);
        return thread;
    });

    public LegalHoldRegistry(GenesysRecordings genesys, LegalHoldAttribute attribute, Duration refreshAfter,
            Clock clock) {
        this.genesys = genesys;
        this.attribute = attribute;
        this.refreshAfter = refreshAfter;
        this.clock = clock;
    }

    /** A conversation to decide for: the sources its intake recorded, and whether that intake read the attribute. */
    public record Claimed(String conversationId, String claimedSources, boolean attributeRead) {}

    /**
     * Decides for every conversation given, by the {@link LegalHoldDecision} rule: deletion protection is asked for all
     * of them, the attribute read only for those the rule says need it.
     */
    public Map<String, LegalHoldDecision> decide(List<Claimed> conversations) throws IOException, ApiException {
        Set<String> protectedOnes = protectedAmong(conversations.stream().map(Claimed::conversationId).toList());
        Map<String, Set<String>> sourcesById = new LinkedHashMap<>();
        Map<String, Future<List<Map<String, String>>>> reads = new LinkedHashMap<>();
        for (Claimed conversation : conversations) {
            String id = conversation.conversationId();
            Set<String> sources = LegalHoldDecision.knownSources(conversation.claimedSources(),
                    protectedOnes.contains(id));
            sourcesById.put(id, sources);
            if (LegalHoldDecision.attributeToRead(sources, attribute.enabled(), conversation.attributeRead())) {
                reads.put(id, attributeReads.submit(() -> genesys.participantAttributes(id)));
            }
        }
        Map<String, LegalHoldDecision> decisions = new LinkedHashMap<>();
        for (Claimed conversation : conversations) {
            String id = conversation.conversationId();
            Set<String> sources = sourcesById.get(id);
            boolean read = conversation.attributeRead();
            Future<List<Map<String, String>>> pending = reads.get(id);
            if (pending != null) {
                try {
                    if (attribute.holdsAny(awaitRead(pending))) {
                        sources.add(attribute.source());
                    }
                    read = true;
                } catch (ApiException e) {
                    if (e.getStatusCode() != NOT_FOUND) {
                        cancelAll(reads);
                        throw e;
                    }
                    decisions.put(id, LegalHoldDecision.undecided("Genesys does not know conversation " + id
                            + " yet, so its legal-hold attribute cannot be read"));
                    continue;
                }
            }
            decisions.put(id, LegalHoldDecision.of(sources, read));
        }
        return decisions;
    }

    private static List<Map<String, String>> awaitRead(Future<List<Map<String, String>>> read)
            throws IOException, ApiException {
        try {
            return read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading participant attributes", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("participant attributes could not be read: " + e.getCause(), e.getCause());
        }
    }

    private static void cancelAll(Map<String, Future<List<Map<String, String>>>> reads) {
        reads.values().forEach(read -> read.cancel(true));
    }

    /** Whether conversations' attributes are read at all (an empty GENESYS_LEGAL_HOLD_ATTRIBUTE switches it off). */
    public LegalHoldAttribute attribute() {
        return attribute;
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
