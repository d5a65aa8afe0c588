package io.recordingexporter.genesys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationWithoutAttributes;
import com.mypurecloud.sdk.v2.model.AnalyticsParticipantWithoutAttributes;
import com.mypurecloud.sdk.v2.model.AnalyticsSession;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobResult;
import io.recordingexporter.domain.LegalHoldDecision;
import io.recordingexporter.domain.MediaLink;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.ledger.ClaimedConversation;
import io.recordingexporter.ledger.ListedConversation;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a batch of up to 100 conversations into their recordings with few Genesys calls, whatever the number of
 * recordings: one conversation-details multi-get (start time, media, participants for the sidecar), one
 * deletion-protection query and, for each conversation no source holds yet, one real-time read of its participants'
 * legal-hold attribute (legal hold, known before any lane is chosen), and one batch download of the whole
 * conversations, whose results list every recording with its content type and a media link. Genesys's own tutorial
 * spends three or four calls per recording. The same listing runs again for a conversation already listed when its
 * relisting is due ({@link RelistSchedule}): recordings that appeared since are routed like any other, known ones are
 * not routed twice (the ledger has them).
 */
public class ConversationExpander {

    private final GenesysRecordings genesys;
    private final LegalHoldRegistry legalHolds;
    private final BatchDownloads batchDownloads;
    private final RelistSchedule relisting;
    private final Clock clock;

    public ConversationExpander(GenesysRecordings genesys, LegalHoldRegistry legalHolds, BatchDownloads batchDownloads,
            RelistSchedule relisting, Clock clock) {
        this.genesys = genesys;
        this.legalHolds = legalHolds;
        this.batchDownloads = batchDownloads;
        this.relisting = relisting;
        this.clock = clock;
    }

    /**
     * What a batch expansion found: recordings to route, conversations fully listed, and conversations to ask again
     * later (analytics or the recordings not there yet), each with the reason.
     */
    /** What a rescued conversation awaits while one of the recordings the rescue asked for is not listed yet. */
    public static final String RESCUED_NOT_LISTED = "rescued-recordings";

    public record Expansion(List<RecordingItem> items, List<ListedConversation> expanded,
            Map<ClaimedConversation, String> notYet) {}

    public Expansion expand(List<ClaimedConversation> claimed) throws IOException, ApiException {
        if (claimed.size() > BatchDownloads.MAX_REQUESTS) {
            throw new IllegalArgumentException("at most " + BatchDownloads.MAX_REQUESTS + " conversations per expansion");
        }
        Map<ClaimedConversation, String> notYet = new LinkedHashMap<>();
        Map<String, ClaimedConversation> byId = new LinkedHashMap<>();
        claimed.forEach(conversation -> byId.put(conversation.conversationId(), conversation));
        if (byId.isEmpty()) {
            return new Expansion(List.of(), List.of(), notYet);
        }
        Map<String, AnalyticsConversationWithoutAttributes> details = new LinkedHashMap<>();
        for (AnalyticsConversationWithoutAttributes conversation : genesys.conversationDetails(List.copyOf(byId.keySet()))) {
            details.put(conversation.getConversationId(), conversation);
        }
        List<LegalHoldRegistry.Claimed> known = knownToAnalytics(byId.values(), details, notYet);
        if (known.isEmpty()) {
            return new Expansion(List.of(), List.of(), notYet);
        }
        // the batch job runs at Genesys while the holds are decided (attribute reads take their time too)
        BatchDownloads.Submitted submitted = batchDownloads.submit(known.stream()
                .map(conversation -> BatchDownloads.wholeConversation(conversation.conversationId())).toList());
        // the hold is decided before any recording is routed: it chooses the lane and the Object Lock hold
        Map<String, LegalHoldDecision> holds = legalHolds.decide(known);
        List<String> decided = new ArrayList<>();
        holds.forEach((conversationId, decision) -> {
            if (decision.undecided() != null) {
                notYet.put(byId.get(conversationId), decision.undecided());
            } else {
                decided.add(conversationId);
            }
        });
        if (decided.isEmpty()) {
            return new Expansion(List.of(), List.of(), notYet);
        }
        BatchDownloads.Batch batch = batchDownloads.await(submitted);
        Map<String, List<BatchDownloadJobResult>> resultsByConversation = new LinkedHashMap<>();
        for (BatchDownloadJobResult result : batch.results()) {
            resultsByConversation.computeIfAbsent(result.getConversationId(), id -> new ArrayList<>()).add(result);
        }
        List<RecordingItem> items = new ArrayList<>();
        List<ListedConversation> expanded = new ArrayList<>();
        for (String conversationId : decided) {
            ClaimedConversation claimedConversation = byId.get(conversationId);
            LegalHoldDecision hold = holds.get(conversationId);
            if (claimedConversation.holdOnly() && !hold.legalHold()) {
                // a legal-hold-only backfill's, and not held by any source: listed, nothing queued
                AnalyticsConversationWithoutAttributes analytics = details.get(conversationId);
                expanded.add(ListedConversation.skippedNotHeld(conversationId, hold.attributeRead(),
                        analytics.getConversationEnd() == null ? null : analytics.getConversationEnd().toInstant(),
                        claimedConversation.relisting(), claimedConversation.claimToken()));
                continue;
            }
            List<BatchDownloadJobResult> results = resultsByConversation.getOrDefault(conversationId, List.of());
            List<BatchDownloadJobResult> recordings = results.stream().filter(r -> r.getRecordingId() != null).toList();
            if (recordings.isEmpty() && !claimedConversation.relisting()) {
                String reason = results.stream().map(BatchDownloadJobResult::getErrorMsg)
                        .filter(message -> message != null && !message.isBlank()).findFirst()
                        .orElse("Genesys lists no recordings for it yet");
                notYet.put(claimedConversation, "conversation " + conversationId + ": " + reason);
                continue;
            }
            expanded.add(listed(claimedConversation, details.get(conversationId), holds.get(conversationId),
                    recordings, batch.reuseUntil(), items));
        }
        return new Expansion(items, expanded, notYet);
    }

    /** The claimed conversations analytics knows (with a start), for the hold decision; the others wait, with why. */
    private static List<LegalHoldRegistry.Claimed> knownToAnalytics(Collection<ClaimedConversation> claimed,
            Map<String, AnalyticsConversationWithoutAttributes> details, Map<ClaimedConversation, String> notYet) {
        List<LegalHoldRegistry.Claimed> known = new ArrayList<>();
        for (ClaimedConversation conversation : claimed) {
            AnalyticsConversationWithoutAttributes analytics = details.get(conversation.conversationId());
            if (analytics == null || analytics.getConversationStart() == null) {
                notYet.put(conversation, "Genesys analytics has no details of conversation "
                        + conversation.conversationId() + " yet");
            } else {
                known.add(new LegalHoldRegistry.Claimed(conversation.conversationId(),
                        conversation.legalHold() ? conversation.legalHoldSource() : null,
                        conversation.holdAttributeRead()));
            }
        }
        return known;
    }

    /**
     * One listed conversation: a recording item for each recording of the media it wants (added to {@code items}),
     * with the hold decided, and when it is to be listed again for the media analytics promises but Genesys does not
     * list yet.
     */
    private ListedConversation listed(ClaimedConversation claimed, AnalyticsConversationWithoutAttributes conversation,
            LegalHoldDecision hold, List<BatchDownloadJobResult> recordings, Instant linksReusableUntil,
            List<RecordingItem> items) {
        String conversationId = claimed.conversationId();
        Set<String> sessionMedia = sessionMediaTypes(conversation);
        Set<String> missing = new TreeSet<>(recordedMediaOf(conversation));
        for (BatchDownloadJobResult result : recordings) {
            String media = mediaOf(result.getContentType(), sessionMedia);
            missing.remove(media);
            if (!claimed.wants(media) || !claimed.wantsRecording(result.getRecordingId())) {
                continue; // a backfill that asked for other media, a rescue for other recordings
            }
            MediaLink link = result.getResultUrl() != null && result.getErrorMsg() == null
                    ? MediaLink.served(result.getResultUrl(), linksReusableUntil, result.getContentType())
                    : MediaLink.notServed(result.getContentType(), result.getErrorMsg() == null
                            ? "the batch gave no link" : result.getErrorMsg());
            items.add(new RecordingItem(result.getRecordingId(), conversationId, media, null, hold.legalHold(),
                    hold.sources(), conversation.getConversationStart().toInstant(),
                    metadataJson(result, media, conversation), 0, link));
        }
        if (claimed.mediaFilter() != null) {
            missing.removeIf(media -> !claimed.wants(media));
        }
        if (claimed.recordingFilter() != null) {
            // a rescue waits for its own recordings alone: listed again while one of them is not listed yet
            Set<String> wanted = new TreeSet<>(List.of(claimed.recordingFilter().split(",")));
            recordings.forEach(result -> wanted.remove(result.getRecordingId()));
            missing.clear();
            if (!wanted.isEmpty()) {
                missing.add(RESCUED_NOT_LISTED);
            }
        }
        Instant end = conversation.getConversationEnd() == null ? null : conversation.getConversationEnd().toInstant();
        RelistSchedule.Next next = relisting.next(end, clock.instant(), missing, claimed.missingWait());
        return new ListedConversation(conversationId, hold.legalHold(), hold.sources(), hold.attributeRead(), end,
                claimed.relisting(), missing.isEmpty() ? null : String.join(",", missing),
                next == null ? null : next.at(), next == null ? null : next.missingWait(), claimed.claimToken());
    }

    /**
     * The recording media a conversation's analytics sessions promise: a recorded voice or callback session an audio
     * recording, a screen-share session a screen recording, a chat, message or email session its transcript. Sessions
     * flagged as not recorded promise nothing.
     */
    static Set<String> recordedMediaOf(AnalyticsConversationWithoutAttributes conversation) {
        Set<String> media = new LinkedHashSet<>();
        if (conversation.getParticipants() == null) {
            return media;
        }
        for (AnalyticsParticipantWithoutAttributes participant : conversation.getParticipants()) {
            for (AnalyticsSession session : participant.getSessions() == null ? List.<AnalyticsSession>of()
                    : participant.getSessions()) {
                if (session.getMediaType() == null || Boolean.FALSE.equals(session.getRecording())) {
                    continue;
                }
                String recorded = switch (session.getMediaType()) {
                    case VOICE, CALLBACK -> "audio";
                    case SCREENSHARE -> "screen";
                    case CHAT -> "chat";
                    case MESSAGE -> "message";
                    case EMAIL -> "email";
                    default -> null;
                };
                if (recorded != null) {
                    media.add(recorded);
                }
            }
        }
        return media;
    }

    private static Set<String> sessionMediaTypes(AnalyticsConversationWithoutAttributes conversation) {
        Set<String> types = new LinkedHashSet<>();
        if (conversation.getParticipants() != null) {
            for (AnalyticsParticipantWithoutAttributes participant : conversation.getParticipants()) {
                if (participant.getSessions() != null) {
                    for (AnalyticsSession session : participant.getSessions()) {
                        if (session.getMediaType() != null) {
                            types.add(session.getMediaType().toString().toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        return types;
    }

    /**
     * The recording's media, from the content type of its batch result; JSON transcripts are chat or messaging, which
     * only the conversation's sessions tell apart.
     */
    static String mediaOf(String contentType, Set<String> sessionMediaTypes) {
        String bare = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (bare.startsWith("audio/")) {
            return "audio";
        }
        if (bare.startsWith("video/")) {
            return "screen";
        }
        if (bare.equals("message/rfc822")) {
            return "email";
        }
        for (String digital : List.of("message", "chat", "email")) {
            if (sessionMediaTypes.contains(digital)) {
                return digital;
            }
        }
        return "unknown";
    }

    /** The sidecar's Genesys part: the batch result (without its short-lived link) and the conversation's details. */
    private String metadataJson(BatchDownloadJobResult result, String media, AnalyticsConversationWithoutAttributes conversation) {
        var json = genesys.objectMapper();
        ObjectNode document = json.createObjectNode();
        document.put("id", result.getRecordingId());
        document.put("conversationId", result.getConversationId());
        document.put("media", media);
        document.put("contentType", result.getContentType());
        document.set("conversation", json.valueToTree(conversation));
        try {
            return json.writeValueAsString(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("recording metadata cannot be written as JSON", e);
        }
    }
}
