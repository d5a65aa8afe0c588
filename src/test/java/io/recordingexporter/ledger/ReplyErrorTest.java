package io.recordingexporter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a reply shows of a recorded error: class and first line, short, no URL query, no stack trace. */
class ReplyErrorTest {

    @Test
    void aReplyShowsTheClassAndTheFirstLineShortWithoutUrlQueries() {
        String recorded = "GET https://media.euw2.pure.cloud/rec/abc.opus?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA"
                + " answered 500\n\tat com.example.Foo.bar(Foo.java:12)\n\tat com.example.Foo.main(Foo.java:3)";
        String shown = ReplyError.of("server", recorded);
        assertEquals("server: GET https://media.euw2.pure.cloud/rec/abc.opus?… answered 500", shown);
        assertTrue(ReplyError.of(null, "x".repeat(5000)).length() <= ReplyError.MAX_MESSAGE);
        assertNull(ReplyError.of("server", null));
        assertEquals("s3 is down", ReplyError.of(null, "s3 is down"));
    }
}
