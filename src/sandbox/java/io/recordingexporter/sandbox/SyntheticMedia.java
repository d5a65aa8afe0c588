package io.recordingexporter.sandbox;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The bytes of one simulated recording: a real file header for its type (RIFF/WAVE, WebM, a JSON transcript, a MIME
 * mail), then deterministic filler from the recording's seed, up to its exact size.
 */
final class SyntheticMedia extends InputStream {

    private final byte[] header;
    private final long size;
    private final SplittableRandom random;
    private final boolean text;
    private long position;
    private long pending;
    private int pendingBytes;

    SyntheticMedia(SimulatedOrg.Recording recording) {
        this.size = recording.sizeBytes();
        this.random = new SplittableRandom(recording.contentSeed());
        this.text = !recording.media().equals("audio") && !recording.media().equals("screen");
        this.header = headerOf(recording);
    }

    private static byte[] headerOf(SimulatedOrg.Recording recording) {
        return switch (recording.media()) {
            case "audio" -> wavHeader(recording.sizeBytes());
            case "screen" -> new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x9F, 0x42, (byte) 0x86, (byte) 0x81, 0x01};
            case "email" -> ("From: customer@example.com\r\nTo: support@example.com\r\nSubject: Case "
                    + recording.conversationId() + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            default -> ("{\"conversationId\":\"" + recording.conversationId() + "\",\"recordingId\":\"" + recording.id()
                    + "\",\"transcript\":\"").getBytes(StandardCharsets.US_ASCII);
        };
    }

    private static byte[] wavHeader(long totalSize) {
        long dataSize = Math.max(0, totalSize - 44);
        byte[] h = new byte[44];
        putAscii(h, 0, "RIFF");
        putLe32(h, 4, 36 + dataSize);
        putAscii(h, 8, "WAVEfmt ");
        putLe32(h, 16, 16);
        h[20] = 1; // PCM
        h[22] = 1; // mono
        putLe32(h, 24, 8000);
        putLe32(h, 28, 16000);
        h[32] = 2;
        h[34] = 16;
        putAscii(h, 36, "data");
        putLe32(h, 40, dataSize);
        return h;
    }

    private static void putAscii(byte[] target, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    private static void putLe32(byte[] target, int offset, long value) {
        for (int i = 0; i < 4; i++) {
            target[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int count = (int) Math.min(length, size - position);
        int i = 0;
        // the header and a partly used draw byte by byte, then whole draws of eight bytes at once (the same bytes as
        // one at a time, several times faster: the simulator must not be what limits a benchmark)
        while (i < count && (position < header.length || pendingBytes > 0)) {
            buffer[offset + i++] = next();
        }
        while (count - i >= 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                buffer[offset + i++] = filler((byte) value);
                value >>>= 8;
            }
            position += 8;
        }
        while (i < count) {
            buffer[offset + i++] = next();
        }
        return count;
    }

    private byte next() {
        long at = position++;
        if (at < header.length) {
            return header[(int) at];
        }
        if (pendingBytes == 0) {
            pending = random.nextLong();
            pendingBytes = 8;
        }
        byte value = (byte) pending;
        pending >>>= 8;
        pendingBytes--;
        return filler(value);
    }

    /** Transcripts and mails stay printable text. */
    private byte filler(byte value) {
        return text ? (byte) ('a' + ((value & 0xFF) % 26)) : value;
    }
}
