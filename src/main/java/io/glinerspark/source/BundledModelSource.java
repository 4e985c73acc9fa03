package io.glinerspark.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model shipped inside the jar as class-path resources. A jar folder cannot be listed, so the folder holds
 * {@value #LIST_FILE}: the output of {@code sha256sum} run on the bundle's files inside that folder, e.g.
 * {@code cd models/default && sha256sum gliner_config.json tokenizer.json model.onnx model.gpu.onnx > bundle.txt}. ONNX Runtime and
 * the tokenizer read files, so the bundle is copied once into the cache, under a folder named by the list's own
 * hash: a rebuilt jar with another model gets a fresh folder, the same jar reuses its copy once every file of it
 * matches its listed SHA-256 again (hashed once per JVM while the file is unchanged); a damaged copy is written anew.
 */
final class BundledModelSource {

    /** Class-path folder of the model that the source {@code "default"} names (the repository's {@code models/default/}). */
    static final String DEFAULT_RESOURCE_FOLDER = "io/glinerspark/models/default/";

    static final String LIST_FILE = "bundle.txt";

    // sha256sum's line: 64 hex digits, a space, then a space (text mode) or '*' (binary mode), then the path.
    private static final Pattern LIST_LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

    private record Entry(String sha256, String path) {
    }

    private BundledModelSource() {
    }

    /** Copies the bundle under {@code resourceFolder} (ending in '/') into {@code cacheRoot} once; returns that copy. */
    static Path resolve(String resourceFolder, ClassLoader loader, Path cacheRoot) {
        byte[] list = readList(resourceFolder, loader);
        List<Entry> entries = parse(list, resourceFolder);
        Path target = cacheRoot.resolve(Checksums.sha256Hex(list).substring(0, 16));
        try {
            return AtomicFolder.publish(target, folder -> {
                for (Entry entry : entries) {
                    copy(resourceFolder, loader, entry, folder);
                }
            }, new AtomicFolder.Check() {
                @Override
                public void record(Path filled, Path published) {
                    // The list in the jar is the record: every file was checked against it while being copied.
                }

                @Override
                public boolean holds(Path published) throws IOException {
                    for (Entry entry : entries) {
                        Path file = published.resolve(entry.path());
                        if (!Files.isRegularFile(file) || !entry.sha256().equals(Checksums.of(file).sha256())) {
                            return false;
                        }
                    }
                    return true;
                }
            });
        } catch (IOException e) {
            throw new ModelSourceException("cannot copy the bundled model into the cache folder " + target + ": " + e, e);
        }
    }

    private static byte[] readList(String resourceFolder, ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(resourceFolder + LIST_FILE)) {
            if (in == null) {
                throw new ModelSourceException("this jar bundles no model: class-path resource " + resourceFolder + LIST_FILE
                        + " is missing (the build copies the repository's models/default/ there); name a model folder, "
                        + "a Hadoop URI or an hf:// id as the model source instead");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelSourceException("cannot read bundled resource " + resourceFolder + LIST_FILE + ": " + e, e);
        }
    }

    private static List<Entry> parse(byte[] list, String resourceFolder) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = new String(list, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LIST_LINE.matcher(line);
            String path = m.matches() ? m.group(2).replace('\\', '/').replaceFirst("^\\./", "") : null;
            if (path == null || path.startsWith("/") || List.of(path.split("/")).contains("..")) {
                throw new ModelSourceException(resourceFolder + LIST_FILE + " line " + (i + 1)
                        + " is not '<sha256>  <relative path>' as sha256sum writes it: " + line);
            }
            entries.add(new Entry(m.group(1).toLowerCase(Locale.ROOT), path));
        }
        if (entries.isEmpty()) {
            throw new ModelSourceException(resourceFolder + LIST_FILE + " names no files");
        }
        return entries;
    }

    private static void copy(String resourceFolder, ClassLoader loader, Entry entry, Path folder) throws IOException {
        String resource = resourceFolder + entry.path();
        Path file = folder.resolve(entry.path());
        Files.createDirectories(file.getParent());
        MessageDigest digest = Checksums.sha256();
        try (InputStream raw = loader.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new ModelSourceException(resourceFolder + LIST_FILE + " names " + entry.path() + " but the jar has no resource " + resource);
            }
            try (InputStream in = new DigestInputStream(raw, digest); OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
        }
        String actual = Checksums.hex(digest.digest());
        if (!actual.equals(entry.sha256())) {
            throw new ModelSourceException("bundled file " + resource + " has sha256 " + actual + " but " + LIST_FILE + " says "
                    + entry.sha256() + ": regenerate the list with sha256sum in models/default/ and rebuild the jar");
        }
    }
}
