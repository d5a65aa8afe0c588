package io.recordingexporter.genesys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.model.RecordingMetadata;
import io.recordingexporter.ledger.Ledger.ClaimedConversation;
import io.recordingexporter.ledger.RecordingItem;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns a conversation into its recordings, one ledger item each, with one {@code recordingmetadata} call. The
 * conversation's date (for the S3 key) is the start of its earliest recording: Genesys lists no conversation start in
 * that reply, and one more call per conversation would spend the shared rate budget for a few seconds of precision.
 */
public class RecordingExpander {

    private final GenesysRecordings genesys;

    public RecordingExpander(GenesysRecordings genesys) {
        this.genesys = genesys;
    }

    public List<RecordingItem> recordingsOf(ClaimedConversation conversation) throws IOException, ApiException {
        List<RecordingMetadata> listed = genesys.recordingsOf(conversation.conversationId());
        if (listed == null || listed.isEmpty()) {
            throw new RecordingsNotListedException(conversation.conversationId());
        }
        Instant conversationStart = listed.stream()
                .map(RecordingMetadata::getStartTime)
                .map(RecordingExpander::parseInstant)
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElseThrow(() -> new MediaNotReadyException(
                        "recordings of conversation " + conversation.conversationId() + " have no start time yet"));
        List<RecordingItem> items = new ArrayList<>();
        for (RecordingMetadata recording : listed) {
            items.add(new RecordingItem(
                    recording.getId(),
                    conversation.conversationId(),
                    normalisedMedia(recording.getMedia()),
                    null,
                    conversation.legalHold(),
                    conversation.legalHoldSource(),
                    conversationStart,
                    toJson(recording),
                    0));
        }
        return items;
    }

    /** Genesys says "message" or "messaging" for SMS and social messaging; lanes know one name. */
    static String normalisedMedia(String media) {
        String lower = media == null ? "unknown" : media.toLowerCase(Locale.ROOT);
        return lower.equals("messaging") ? "message" : lower;
    }

    private String toJson(RecordingMetadata recording) {
        try {
            return genesys.objectMapper().writeValueAsString(recording);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("recording metadata cannot be written as JSON", e);
        }
    }

    static Instant parseInstant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.parse(text);
        }
    }
}
