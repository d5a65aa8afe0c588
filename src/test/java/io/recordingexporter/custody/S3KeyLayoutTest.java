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

    /**
     * Genesys's own words for where its AWS S3 bulk export writes ("Working with exported recordings in AWS S3
     * bucket", Genesys Cloud Resource Center; the stray brace before {@code month=} is in the original): the folders
     * come from when the conversation began, in UTC; each recording file is named by its recording id, and its JSON
     * metadata file is suffixed {@code _metadata.json}.
     */
    private static final String DOCUMENTED_FOLDER = "s3://{bucket}/{organizationId}/year={year}/{month={month}/"
            + "day={day}/hour={hourOfDay}/conversation_id={conversationId}/";

    @Test
    void theGenesysBulkLayoutIsWhereTheNativeExportWrites() {
        String organization = "5f2d7a3c-9b1e-4c8d-a6f0-1e2d3c4b5a69";
        RecordingItem item = item(CONVERSATION, RECORDING, "2026-03-04T07:59:59Z");
        String documented = DOCUMENTED_FOLDER.replace("{month={month}", "month={month}")
                .replace("s3://{bucket}/", "").replace("{organizationId}", organization).replace("{year}", "2026")
                .replace("{month}", "03").replace("{day}", "04").replace("{hourOfDay}", "07")
                .replace("{conversationId}", CONVERSATION);
        S3KeyLayout besideTheJob = new S3KeyLayout("", organization);
        assertEquals(documented + RECORDING + ".opus", besideTheJob.mediaKey(item, "opus"));
        assertEquals(documented + RECORDING + "_metadata.json", besideTheJob.sidecarKey(item));
        assertEquals("exports/" + documented + RECORDING + ".webm",
                new S3KeyLayout("exports", organization).mediaKey(item, "webm"), "a prefix comes first");
        assertEquals(documented + RECORDING + "_metadata.json",
                S3KeyLayout.sidecarKeyBeside(besideTheJob.mediaKey(item, "opus"), RECORDING),
                "the verifiers find the sidecar beside the media in this layout too");
        assertThrows(IllegalArgumentException.class, () -> new S3KeyLayout("", "../other-org"), "organization id");
    }
}
