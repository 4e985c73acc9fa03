package io.glinerspark.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checksums the Hugging Face hub publishes (SHA-256 of large files, the git blob id = SHA-1 of small ones), also
 * used as cache keys.
 */
final class Checksums {

    /** The two checksums of one file's content, as lower-case hex. */
    record FileDigests(String sha256, String gitBlobId) {

        /** Whether {@code checksum} (64 hex digits: SHA-256; 40: git blob id) is one of these. */
        boolean matches(String checksum) {
            return checksum != null && (checksum.equalsIgnoreCase(sha256) || checksum.equalsIgnoreCase(gitBlobId));
        }
    }

    private static final int BUFFER_BYTES = 1 << 20;
    // Cache files are read on every run; each is hashed once per JVM while its path, size and times stay the same.
    private static final Map<String, FileDigests> KNOWN = new ConcurrentHashMap<>();

    private Checksums() {
    }

    /** The SHA-256 and git blob id of {@code file}'s content (links followed). */
    static FileDigests of(Path file) throws IOException {
        Path real = file.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        String key = real + "\t" + attributes.size() + "\t" + attributes.lastModifiedTime().toMillis() + "\t"
                + attributes.creationTime().toMillis() + "\t" + attributes.fileKey();
        FileDigests known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        MessageDigest sha256 = sha256();
        MessageDigest gitBlob = sha1();
        gitBlob.update(("blob " + attributes.size() + "\0").getBytes(StandardCharsets.US_ASCII));
        long read = 0;
        try (InputStream in = Files.newInputStream(real)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                gitBlob.update(buffer, 0, n);
                read += n;
            }
        }
        if (read != attributes.size()) {
            throw new IOException(real + " changed while it was read");
        }
        FileDigests digests = new FileDigests(hex(sha256.digest()), hex(gitBlob.digest()));
        KNOWN.put(key, digests);
        return digests;
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
