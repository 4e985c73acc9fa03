package io.glinerspark.source;

import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class HadoopFolderSourceTest {

    /** Hadoop's raw local file system under a scheme of its own, standing in for a remote store. */
    public static final class OtherSchemeFileSystem extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("other:///");
        }

        @Override
        public String getScheme() {
            return "other";
        }
    }

    @TempDir
    Path temp;

    private Path remote;
    private Path cache;
    private byte[] model;

    @BeforeEach
    void writeRemoteFolder() throws IOException {
        remote = Files.createDirectories(temp.resolve("remote/my-model"));
        cache = temp.resolve("cache");
        model = new byte[200_000];
        new Random(7).nextBytes(model);
        Files.writeString(remote.resolve("gliner_config.json"), "{\"max_width\": 12}");
        Files.writeString(remote.resolve("tokenizer.json"), "{\"model\": {}}");
        Files.writeString(remote.resolve("README.md"), "# not copied");
        Files.createDirectories(remote.resolve("onnx"));
        Files.write(remote.resolve("onnx/model.onnx"), model);
        Files.write(remote.resolve("onnx/model.onnx_data"), new byte[] {1, 2, 3});
        Files.write(remote.resolve("onnx/model_quantized.onnx"), new byte[] {4, 5});
    }

    @Test
    void copiesTheBundleWithItsOnnxFolderThroughHadoopsLocalFileSystem() throws IOException {
        String uri = remote.toUri().toString();
        assertTrue(uri.startsWith("file:///"), uri);

        Path copy = HadoopFolderSource.resolve(uri, "model.onnx", cache, Map.of());

        assertTrue(copy.startsWith(cache) && copy.getFileName().toString().startsWith("my-model-"), copy.toString());
        assertEquals(Set.of("gliner_config.json", "tokenizer.json", "onnx/model.onnx", "onnx/model.onnx_data"), filesUnder(copy));
        assertArrayEquals(model, Files.readAllBytes(copy.resolve("onnx/model.onnx")));
        assertEquals("{\"max_width\": 12}", Files.readString(copy.resolve("gliner_config.json")));
    }

    @Test
    void secondResolveReusesTheCopyUntilTheRemoteFolderChanges() throws IOException {
        String uri = remote.toUri().toString();
        Path first = HadoopFolderSource.resolve(uri, "model.onnx", cache, Map.of());
        FileTime copiedAt = Files.getLastModifiedTime(first.resolve("onnx/model.onnx"));
        Files.setLastModifiedTime(first.resolve("onnx/model.onnx"), FileTime.fromMillis(copiedAt.toMillis() - 60_000));

        Path second = HadoopFolderSource.resolve(uri, "model.onnx", cache, Map.of());

        assertEquals(first, second);
        assertEquals(copiedAt.toMillis() - 60_000, Files.getLastModifiedTime(second.resolve("onnx/model.onnx")).toMillis(),
                "the cached copy was written again");

        Files.writeString(remote.resolve("gliner_config.json"), "{\"max_width\": 8}");
        Path changed = HadoopFolderSource.resolve(uri, "model.onnx", cache, Map.of());
        assertNotEquals(first, changed);
        assertEquals("{\"max_width\": 8}", Files.readString(changed.resolve("gliner_config.json")));
    }

    @Test
    void aDamagedOrPartlyDeletedCopyIsWrittenAgain() throws IOException {
        String uri = remote.toUri().toString();
        Path copy = HadoopFolderSource.resolve(uri, "model.onnx", cache, Map.of());
        byte[] damaged = model.clone();
        damaged[99] ^= 1;
        Files.write(copy.resolve("onnx/model.onnx"), damaged);

        assertEquals(copy, HadoopFolderSource.resolve(uri, "model.onnx", cache, Map.of()));
        assertArrayEquals(model, Files.readAllBytes(copy.resolve("onnx/model.onnx")));

        Files.delete(copy.resolve("tokenizer.json"));
        assertEquals(copy, HadoopFolderSource.resolve(uri, "model.onnx", cache, Map.of()));
        assertEquals("{\"model\": {}}", Files.readString(copy.resolve("tokenizer.json")));
    }

    @Test
    void anyHadoopSchemeWorksThroughModelSources() throws IOException {
        SourceSettings settings = SourceSettings.fromEnvironment(name -> null)
                .withHadoopConf(Map.of("fs.other.impl", OtherSchemeFileSystem.class.getName()));

        Path copy = ModelSources.locate("other://" + remote.toUri().getPath(), "model_quantized.onnx", cache, settings).folder();

        assertTrue(copy.startsWith(cache.resolve("hadoop")), copy.toString());
        assertEquals(Set.of("gliner_config.json", "tokenizer.json", "onnx/model_quantized.onnx"), filesUnder(copy));
    }

    @Test
    void unknownSchemeAndMissingFolderAreClearErrors() {
        ModelSourceException scheme = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate("nosuchfs://bucket/model", "model.onnx", cache, SourceSettings.fromEnvironment(name -> null)).folder());
        assertTrue(scheme.getMessage().contains("no Hadoop FileSystem for the scheme") && scheme.getMessage().contains("nosuchfs://bucket/model"),
                scheme.getMessage());

        String missing = remote.resolveSibling("absent").toUri().toString();
        ModelSourceException folder = assertThrows(ModelSourceException.class,
                () -> HadoopFolderSource.resolve(missing, "model.onnx", cache, Map.of()));
        assertTrue(folder.getMessage().contains("does not exist") && folder.getMessage().contains(missing), folder.getMessage());
    }

    @Test
    void incompleteRemoteBundleIsReportedWithoutCopying() throws IOException {
        Files.delete(remote.resolve("tokenizer.json"));

        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> HadoopFolderSource.resolve(remote.toUri().toString(), "model.onnx", cache, Map.of()));

        assertTrue(e.getMessage().contains("missing tokenizer.json"), e.getMessage());
        assertTrue(Files.notExists(cache) || filesUnder(cache).isEmpty());
    }

    @Test
    void concurrentCallersShareOneCompleteCopy() throws Exception {
        String uri = remote.toUri().toString();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Path>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> HadoopFolderSource.resolve(uri, "model.onnx", cache, Map.of()));
            }
            Set<Path> copies = new HashSet<>();
            for (Future<Path> result : pool.invokeAll(calls)) {
                copies.add(result.get());
            }
            assertEquals(1, copies.size());
            assertArrayEquals(model, Files.readAllBytes(copies.iterator().next().resolve("onnx/model.onnx")));
            try (Stream<Path> entries = Files.list(cache)) {
                assertEquals(List.of(copies.iterator().next().getFileName().toString()),
                        entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".locks") && !n.equals(".verified")).toList(),
                        "no second copy and no leftover partial folder");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Set<String> filesUnder(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.locks/"))
                    .map(p -> folder.relativize(p).toString().replace('\\', '/')).collect(Collectors.toSet());
        }
    }
}
