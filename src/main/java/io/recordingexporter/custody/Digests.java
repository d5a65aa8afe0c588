package io.recordingexporter.custody;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** The digests custody and the audit digests name: SHA-256 and MD5, as the hex or base64 S3 and the sidecars use. */
public final class Digests {

    private Digests() {
    }

    public static MessageDigest of(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[] bytes) {
        return of("SHA-256").digest(bytes);
    }

    public static byte[] md5(byte[] bytes) {
        return of("MD5").digest(bytes);
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
