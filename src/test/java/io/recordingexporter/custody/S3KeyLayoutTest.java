package io.recordingexporter.custody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.recordingexporter.domain.RecordingItem;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class S3KeyLayoutTest {

    private static final String CONVERSATION = "0b2c8d6e-1f3a-4c5b-9d7e-8f9a0b1c2d3e";
    private static final String RECORDING = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

    private static RecordingItem item(String conversationId, String recordingId, String start) {
        return new RecordingItem(recordingId, conversationId, "audio", "voice", false, null, Instant.parse(start), "{}", 1, null);
    }

    @Test
    void keysFollowTheGenesysExportLayoutInUtc() {
        S3KeyLayout layout = new S3KeyLayout("/genesys/eu/");
        // 23:30 in London summer time is still the 3rd in UTC's terms only before midnight UTC: use UTC
        RecordingItem item = item(CONVERSATION, RECORDING, "2026-03-04T23:59:59Z");
        assertEquals("genesys/eu/year=2026/month=03/day=04/conversation_id=" + CONVERSATION + "/" + RECORDING + ".wav",
                layout.mediaKey(item, "wav"));
        assertEquals("genesys/eu/year=2026/month=03/day=04/conversation_id=" + CONVERSATION + "/" + RECORDING
                + "_metadata.json", layout.sidecarKey(item));
    }

    @Test
    void emptyPrefixStartsAtYear() {
        assertEquals("year=2026/month=12/day=31/conversation_id=" + CONVERSATION + "/" + RECORDING + ".webm",
                new S3KeyLayout("").mediaKey(item(CONVERSATION, RECORDING, "2026-12-31T00:00:00Z"), "webm"));
    }

    @Test
    void nothingFromTheWireCanSteerAKey() {
        S3KeyLayout layout = new S3KeyLayout("genesys");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        assertThrows(IllegalArgumentException.class,
                () -> layout.mediaKey(item("../../other", RECORDING, start.toString()), "wav"), "conversation id");
        assertThrows(IllegalArgumentException.class,
                () -> layout.mediaKey(item(CONVERSATION, "x/../../y", start.toString()), "wav"), "recording id");
        assertThrows(IllegalArgumentException.class,
                () -> layout.mediaKey(item(CONVERSATION, RECORDING, start.toString()), "wav/../x"), "extension");
        assertThrows(IllegalArgumentException.class, () -> new S3KeyLayout("a/../b"), "prefix");
    }
}
