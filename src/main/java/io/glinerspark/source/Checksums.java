package io.glinerspark.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksums the Hugging Face hub publishes (SHA-256 of large files, the git blob id = SHA-1 of small ones), also
 * used as cache keys.
 */
final class Checksums {

    private Checksums() {
    }

    static MessageDigest sha256() {
        return digest("SHA-256");
    }

    static MessageDigest sha1() {
        return digest("SHA-1");
    }

    static String sha256Hex(byte[] data) {
        return hex(sha256().digest(data));
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
