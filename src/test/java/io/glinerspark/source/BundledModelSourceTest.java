package io.glinerspark.source;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled-model source read from a real jar through a class loader, as it is in a deployed uber jar. */
@Tag("core")
class BundledModelSourceTest {

    private static final String FOLDER = "io/glinerspark/models/default/";

    @TempDir
    Path temp;

    @Test
    void copiesTheListedFilesOnceAndReusesTheCopy() throws IOException {
        Map<String, byte[]> files = bundle();
        try (URLClassLoader jar = jarWith(files, sha256sumList(files))) {
            Path cache = temp.resolve("cache");

            Path copy = BundledModelSource.resolve(FOLDER, jar, cache);

            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                assertArrayEquals(file.getValue(), Files.readAllBytes(copy.resolve(file.getKey())), file.getKey());
            }
            FileTime old = FileTime.fromMillis(Files.getLastModifiedTime(copy.resolve("onnx/model.onnx")).toMillis() - 60_000);
            Files.setLastModifiedTime(copy.resolve("onnx/model.onnx"), old);

            assertEquals(copy, BundledModelSource.resolve(FOLDER, jar, cache));
            assertEquals(old, Files.getLastModifiedTime(copy.resolve("onnx/model.onnx")), "the copy was written again");
        }
    }

    @Test
    void aDamagedOrPartlyDeletedCopyIsWrittenAgain() throws IOException {
        Map<String, byte[]> files = bundle();
        try (URLClassLoader jar = jarWith(files, sha256sumList(files))) {
            Path cache = temp.resolve("cache");
            Path copy = BundledModelSource.resolve(FOLDER, jar, cache);
            Files.write(copy.resolve("onnx/model.onnx"), new byte[] {8, 1, 18, 4, 0, 9});

            assertEquals(copy, BundledModelSource.resolve(FOLDER, jar, cache));
            assertArrayEquals(files.get("onnx/model.onnx"), Files.readAllBytes(copy.resolve("onnx/model.onnx")));

            Files.delete(copy.resolve("tokenizer.json"));
            assertEquals(copy, BundledModelSource.resolve(FOLDER, jar, cache));
            assertArrayEquals(files.get("tokenizer.json"), Files.readAllBytes(copy.resolve("tokenizer.json")));
        }
    }

    @Test
    void aDifferentBundleGetsItsOwnCacheFolder() throws IOException {
        Map<String, byte[]> files = bundle();
        Path cache = temp.resolve("cache");
        Path first;
        try (URLClassLoader jar = jarWith(files, sha256sumList(files))) {
            first = BundledModelSource.resolve(FOLDER, jar, cache);
        }
        files.put("gliner_config.json", "{\"max_width\": 8}".getBytes(StandardCharsets.UTF_8));
        try (URLClassLoader jar = jarWith(files, sha256sumList(files))) {
            Path second = BundledModelSource.resolve(FOLDER, jar, cache);
            assertTrue(!second.equals(first) && Files.readString(second.resolve("gliner_config.json")).contains("8"));
        }
    }

    @Test
    void staleListIsRejectedAndNothingIsPublished() throws IOException {
        Map<String, byte[]> files = bundle();
        String list = sha256sumList(files);
        files.put("tokenizer.json", "{\"changed\": true}".getBytes(StandardCharsets.UTF_8));
        Path cache = temp.resolve("cache");
        try (URLClassLoader jar = jarWith(files, list)) {
            ModelSourceException e = assertThrows(ModelSourceException.class, () -> BundledModelSource.resolve(FOLDER, jar, cache));

            assertTrue(e.getMessage().contains(FOLDER + "tokenizer.json") && e.getMessage().contains("regenerate"), e.getMessage());
            try (Stream<Path> entries = Files.list(cache)) {
                assertEquals(0, entries.filter(p -> !p.getFileName().toString().equals(".locks")).count());
            }
        }
    }

    @Test
    void missingListedFileAndMissingListAreClearErrors() throws IOException {
        Map<String, byte[]> files = bundle();
        String list = sha256sumList(files) + Checksums.sha256Hex(new byte[0]) + "  onnx/model.onnx_data\n";
        try (URLClassLoader jar = jarWith(files, list)) {
            ModelSourceException e = assertThrows(ModelSourceException.class, () -> BundledModelSource.resolve(FOLDER, jar, temp));
            assertTrue(e.getMessage().contains("names onnx/model.onnx_data"), e.getMessage());
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            ModelSourceException e = assertThrows(ModelSourceException.class, () -> BundledModelSource.resolve(FOLDER, empty, temp));
            assertTrue(e.getMessage().contains("bundles no model") && e.getMessage().contains("models/default/"), e.getMessage());
        }
    }

    @Test
    void malformedListLineIsReportedWithItsNumber() throws IOException {
        try (URLClassLoader jar = jarWith(bundle(), "# made by sha256sum\nnot a checksum line\n")) {
            ModelSourceException e = assertThrows(ModelSourceException.class, () -> BundledModelSource.resolve(FOLDER, jar, temp));
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        }
    }

    private static Map<String, byte[]> bundle() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("gliner_config.json", "{\"max_width\": 12}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{\"model\": {}}".getBytes(StandardCharsets.UTF_8));
        files.put("onnx/model.onnx", new byte[] {8, 1, 18, 4, 0, 7});
        return files;
    }

    /** The list exactly as {@code sha256sum} writes it (two spaces in text mode; '*' marks binary mode). */
    private static String sha256sumList(Map<String, byte[]> files) {
        StringBuilder list = new StringBuilder();
        files.forEach((path, content) -> list.append(Checksums.sha256Hex(content))
                .append(path.endsWith(".onnx") ? " *" : "  ").append(path).append('\n'));
        return list.toString();
    }

    private URLClassLoader jarWith(Map<String, byte[]> files, String list) throws IOException {
        Path jar = Files.createTempFile(temp, "model", ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                jarOut.putNextEntry(new JarEntry(FOLDER + file.getKey()));
                jarOut.write(file.getValue());
                jarOut.closeEntry();
            }
            jarOut.putNextEntry(new JarEntry(FOLDER + BundledModelSource.LIST_FILE));
            jarOut.write(list.getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
        // No parent: only the jar's own resources are visible, as if the model lived in it alone.
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }
}
