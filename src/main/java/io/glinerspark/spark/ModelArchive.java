package io.glinerspark.spark;

import org.apache.spark.SparkContext;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Ships a model folder that exists only on the driver: packs it into a zip archive and registers it with
 * {@link SparkContext#addArchive}, so every executor downloads and unpacks it once ({@code SparkFiles.get(name)}).
 * The archive name is a fingerprint of the folder's files (names, sizes, modification times): the same folder
 * is packed and shipped once, a changed folder gets a new name.
 */
final class ModelArchive {

    private ModelArchive() {
    }

    /** Ships {@code folder} and returns the name executors look it up by. */
    static String ship(SparkContext context, File folder) throws IOException {
        Path root = folder.toPath().toRealPath();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("model folder " + root + " holds no files");
        }
        String name = "gliner-model-" + fingerprint(root, files);
        Path archive = Path.of(System.getProperty("java.io.tmpdir"), "gliner-spark-models", name + ".zip");
        if (!Files.exists(archive)) {
            pack(root, files, archive);
        }
        context.addArchive(archive.toUri() + "#" + name);
        return name;
    }

    private static String fingerprint(Path root, List<Path> files) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
        digest.update(root.toString().getBytes(StandardCharsets.UTF_8));
        for (Path file : files) {
            String entry = "\n" + root.relativize(file) + "\t" + Files.size(file) + "\t" + Files.getLastModifiedTime(file).toMillis();
            digest.update(entry.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    /** Writes next to the target and renames, so a concurrent or interrupted pack never leaves a partial archive. */
    private static void pack(Path root, List<Path> files, Path archive) throws IOException {
        Files.createDirectories(archive.getParent());
        Path partial = Files.createTempFile(archive.getParent(), archive.getFileName().toString(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(out)) {
                // ONNX weights barely compress; storing them keeps packing at disk speed.
                zip.setLevel(Deflater.NO_COMPRESSION);
                for (Path file : files) {
                    zip.putNextEntry(new ZipEntry(root.relativize(file).toString().replace(File.separatorChar, '/')));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
