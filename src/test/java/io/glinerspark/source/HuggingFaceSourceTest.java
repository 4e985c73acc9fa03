package io.glinerspark.source;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class HuggingFaceSourceTest {

    private static final String SOURCE = "hf://" + FakeHub.REPO;
    private static final String MODEL = "onnx/model.onnx";
    private static final String MODEL_DATA = "onnx/model.onnx_data";

    @TempDir
    Path cache;

    private FakeHub hub;
    private byte[] config;
    private byte[] tokenizer;
    private byte[] model;

    @BeforeEach
    void startHub() throws IOException {
        config = "{\"span_mode\": \"markerV0\", \"max_width\": 12}".getBytes(StandardCharsets.UTF_8);
        tokenizer = Files.readAllBytes(Path.of(System.getProperty("gliner.repo.root"), "src/test/resources/fixtures/tokenizer.json"));
        model = randomBytes(300_000, 1);
        hub = new FakeHub()
                .file("README.md", "# tiny".getBytes(StandardCharsets.UTF_8), false)
                .file("gliner_config.json", config, false)
                .file("tokenizer.json", tokenizer, true)
                .file("tokenizer_config.json", "{\"model_max_length\": 512}".getBytes(StandardCharsets.UTF_8), false)
                .file("pytorch_model.bin", randomBytes(20_000, 2), true)
                .file(MODEL, model, true)
                .file(MODEL_DATA, randomBytes(70_000, 3), true)
                .file("onnx/model_quantized.onnx", randomBytes(40_000, 4), true);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void downloadsOnlyTheBundleIntoAHubStyleCache() throws IOException {
        Path snapshot = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();

        Path repoDir = cache.resolve("hub/models--acme--tiny-gliner");
        assertEquals(repoDir.resolve("snapshots/" + FakeHub.COMMIT), snapshot);
        assertEquals(Set.of("gliner_config.json", "tokenizer.json", "tokenizer_config.json", MODEL, MODEL_DATA), filesUnder(snapshot));
        assertArrayEquals(config, Files.readAllBytes(snapshot.resolve("gliner_config.json")));
        assertArrayEquals(tokenizer, Files.readAllBytes(snapshot.resolve("tokenizer.json")));
        assertArrayEquals(model, Files.readAllBytes(snapshot.resolve(MODEL)));
        assertEquals(FakeHub.COMMIT, Files.readString(repoDir.resolve("refs/main")));
        // Each snapshot file is a link to a blob named by the hub's checksum: sha256 for LFS files, git blob id otherwise.
        assertTrue(Files.isSymbolicLink(snapshot.resolve(MODEL)));
        assertEquals(repoDir.resolve("blobs/" + Checksums.sha256Hex(model)), snapshot.resolve(MODEL).toRealPath());
        assertEquals(repoDir.resolve("blobs/" + FakeHub.gitBlobId(config)), snapshot.resolve("gliner_config.json").toRealPath());
        try (Stream<Path> blobs = Files.list(repoDir.resolve("blobs"))) {
            assertTrue(blobs.noneMatch(b -> b.toString().endsWith(".incomplete")));
        }
        // Large files came through the CDN redirect, without the hub token's header (none here) and nothing else fetched.
        assertEquals(1, hub.downloadsOf(MODEL).size());
        assertTrue(hub.requests().stream().noneMatch(r -> r.path().contains("README") || r.path().contains("quantized")
                || r.path().contains("pytorch")));

        int before = hub.requests().size();
        assertEquals(snapshot, ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder());
        assertEquals(List.of("/api/models/" + FakeHub.REPO + "/revision/main"),
                hub.requests().subList(before, hub.requests().size()).stream().map(FakeHub.Request::path).toList(),
                "a warm cache costs only the revision listing");
    }

    @Test
    void fetchesTheChosenOnnxVariantOnly() throws IOException {
        Path snapshot = ModelSources.locate(SOURCE + "@" + FakeHub.COMMIT, "model_quantized.onnx", cache, hub.settings()).folder();

        assertEquals(Set.of("gliner_config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_quantized.onnx"), filesUnder(snapshot));
        assertTrue(hub.downloadsOf(MODEL).isEmpty());
        assertFalse(Files.exists(cache.resolve("hub/models--acme--tiny-gliner/refs")), "a commit revision needs no ref file");
    }

    @Test
    void theDefaultSettingFetchesTheGpuGraphBesideTheCpuGraph() throws IOException {
        byte[] gpuGraph = randomBytes(50_000, 5);
        hub.file("onnx/model.gpu.onnx", gpuGraph, true).file("onnx/model.gpu.onnx_data", randomBytes(9_000, 6), true);
        Path snapshot = ModelSources.locate(SOURCE, BundleGraphs.AUTO, cache, hub.settings()).folder();

        assertEquals(Set.of("gliner_config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.gpu.onnx",
                "onnx/model.gpu.onnx_data", MODEL, MODEL_DATA), filesUnder(snapshot));
        assertArrayEquals(gpuGraph, Files.readAllBytes(snapshot.resolve("onnx/model.gpu.onnx")));
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "onnx/model.gpu.onnx_data", "onnx/model.gpu.onnx",
                MODEL_DATA, MODEL), BundleFingerprint.files(snapshot, BundleGraphs.AUTO));

        Path explicit = ModelSources.locate(SOURCE, "model.onnx", cache.resolve("other"), hub.settings()).folder();
        assertFalse(Files.exists(explicit.resolve("onnx/model.gpu.onnx")), "an explicit file is fetched alone");
    }

    @Test
    void missingOnnxVariantNamesWhatTheRepositoryHas() {
        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model_fp16.onnx", cache, hub.settings()).folder());

        assertTrue(e.getMessage().contains("model_fp16.onnx or onnx/model_fp16.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("onnx/model.onnx, onnx/model_quantized.onnx"), e.getMessage());
    }

    @Test
    void unknownRepositoryAndRevisionAreReportedAsNotFound() {
        ModelSourceException repo = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate("hf://acme/no-such-model", "model.onnx", cache, hub.settings()).folder());
        assertTrue(repo.getMessage().contains("acme/no-such-model") && repo.getMessage().contains("HTTP 404"), repo.getMessage());
        assertTrue(repo.getMessage().contains("Repository not found"), repo.getMessage());

        ModelSourceException revision = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE + "@v9", "model.onnx", cache, hub.settings()).folder());
        assertTrue(revision.getMessage().contains("revision v9") && revision.getMessage().contains("HTTP 404"), revision.getMessage());
    }

    @Test
    void privateRepositoryNeedsTheTokenWhichNeverLeavesTheHub() throws IOException {
        hub.requiredToken = "s3cret";

        ModelSourceException denied = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder());
        assertTrue(denied.getMessage().contains("HTTP 401") && denied.getMessage().contains("set HF_TOKEN"), denied.getMessage());

        ModelSourceException wrong = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings().withHubToken("guess")).folder());
        assertTrue(wrong.getMessage().contains("refused to the token in HF_TOKEN"), wrong.getMessage());

        Path snapshot = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings().withHubToken("s3cret")).folder();
        assertArrayEquals(model, Files.readAllBytes(snapshot.resolve(MODEL)));
        List<FakeHub.Request> cdn = hub.requests().stream().filter(r -> r.path().startsWith("/cdn/")).toList();
        assertFalse(cdn.isEmpty());
        assertTrue(cdn.stream().allMatch(r -> r.authorization().isEmpty()), "the token went to the CDN host: " + cdn);
    }

    @Test
    void truncatedDownloadFailsCleanlyAndTheNextCallResumesIt() throws IOException {
        hub.truncate.add(MODEL);
        Path repoDir = cache.resolve("hub/models--acme--tiny-gliner");
        Path blob = repoDir.resolve("blobs/" + Checksums.sha256Hex(model));

        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder());

        assertTrue(e.getMessage().contains("file " + MODEL) && e.getMessage().contains("broke off"), e.getMessage());
        assertFalse(Files.exists(blob), "no blob from a truncated body");
        assertFalse(Files.exists(repoDir.resolve("snapshots/" + FakeHub.COMMIT + "/" + MODEL), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        Path partial = repoDir.resolve("blobs/" + Checksums.sha256Hex(model) + ".incomplete");
        long kept = Files.size(partial);
        assertTrue(kept > 0 && kept < model.length, "partial bytes kept for resuming: " + kept);

        hub.truncate.clear();
        Path snapshot = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();

        assertArrayEquals(model, Files.readAllBytes(snapshot.resolve(MODEL)));
        List<FakeHub.Request> downloads = hub.downloadsOf(MODEL);
        assertEquals("bytes=" + kept + "-", downloads.get(downloads.size() - 1).range());
        assertFalse(Files.exists(partial));
    }

    @Test
    void stalledDownloadIsAbortedAfterTheTimeoutAndKeptForResuming() throws IOException {
        hub.stall.add(MODEL);
        SourceSettings impatient = hub.settings().withHubTimeout(Duration.ofMillis(300));

        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", cache, impatient).folder());

        assertTrue(e.getMessage().contains("file " + MODEL) && e.getMessage().contains("no data for"), e.getMessage());
        Path partial = cache.resolve("hub/models--acme--tiny-gliner/blobs/" + Checksums.sha256Hex(model) + ".incomplete");
        assertEquals(model.length / 2, Files.size(partial));
    }

    @Test
    void resumesAPartialDownloadLeftByAnEarlierProcess() throws IOException {
        Path blobs = Files.createDirectories(cache.resolve("hub/models--acme--tiny-gliner/blobs"));
        Files.write(blobs.resolve(Checksums.sha256Hex(model) + ".incomplete"), Arrays.copyOf(model, 123_456));

        Path snapshot = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();

        assertArrayEquals(model, Files.readAllBytes(snapshot.resolve(MODEL)));
        assertEquals(List.of("bytes=123456-"), hub.downloadsOf(MODEL).stream().map(FakeHub.Request::range).toList());
    }

    @Test
    void checksumMismatchDeletesTheBadDownload() throws IOException {
        hub.corrupt.add(MODEL);
        Path blobs = cache.resolve("hub/models--acme--tiny-gliner/blobs");

        ModelSourceException lfs = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder());
        assertTrue(lfs.getMessage().contains("checksum mismatch for file " + MODEL)
                && lfs.getMessage().contains("sha256 " + Checksums.sha256Hex(model)), lfs.getMessage());
        assertFalse(Files.exists(blobs.resolve(Checksums.sha256Hex(model))));
        assertFalse(Files.exists(blobs.resolve(Checksums.sha256Hex(model) + ".incomplete")));

        hub.corrupt.clear();
        hub.corrupt.add("gliner_config.json");
        Path freshCache = cache.resolve("fresh");
        ModelSourceException small = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", freshCache, hub.settings()).folder());
        assertTrue(small.getMessage().contains("checksum mismatch for file gliner_config.json")
                && small.getMessage().contains("git blob id " + FakeHub.gitBlobId(config)), small.getMessage());
        assertFalse(Files.exists(freshCache.resolve("hub/models--acme--tiny-gliner/blobs/" + FakeHub.gitBlobId(config))));
    }

    @Test
    void aCachedBlobWhoseBytesChangedIsFetchedAgain() throws IOException {
        Path snapshot = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();
        Path blob = snapshot.resolve(MODEL).toRealPath();
        byte[] damaged = model.clone();
        damaged[1000] ^= 1;
        Files.write(blob, damaged); // same size: a size check alone would keep it

        Path again = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();

        assertArrayEquals(model, Files.readAllBytes(again.resolve(MODEL)));
        assertEquals(2, hub.downloadsOf(MODEL).size());
        assertEquals(1, hub.downloadsOf(MODEL_DATA).size(), "intact files are reused");
    }

    @Test
    void aPartlyDeletedCacheEntryIsRepairedNotFailedForever() throws IOException {
        Path snapshot = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();
        Files.delete(snapshot.resolve(MODEL_DATA).toRealPath()); // the link stays, its blob is gone
        Files.delete(snapshot.resolve("tokenizer.json"));

        Path again = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();

        assertArrayEquals(tokenizer, Files.readAllBytes(again.resolve("tokenizer.json")));
        assertEquals(70_000, Files.size(again.resolve(MODEL_DATA)));
        assertEquals(2, hub.downloadsOf(MODEL_DATA).size());
        assertEquals(1, hub.downloadsOf("tokenizer.json").size(), "the intact blob is linked again, not fetched");
    }

    @Test
    void offlineModeRefusesADamagedCachedCopy() throws IOException {
        Path snapshot = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();
        Path blob = snapshot.resolve(MODEL).toRealPath();
        byte[] damaged = model.clone();
        damaged[7] ^= 1;
        Files.write(blob, damaged);

        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings().withHubOffline(true)));
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());

        // Back online, the damaged blob is replaced; offline use works again.
        ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings());
        assertArrayEquals(model, Files.readAllBytes(
                ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings().withHubOffline(true)).folder().resolve(MODEL)));
    }

    @Test
    void offlineModeUsesAWarmCacheWithoutAnyRequest() {
        Path online = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();
        int before = hub.requests().size();

        Path offline = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings().withHubOffline(true)).folder();

        assertEquals(online, offline);
        assertEquals(before, hub.requests().size());

        ModelSourceException otherVariant = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model_quantized.onnx", cache, hub.settings().withHubOffline(true)).folder());
        assertTrue(otherVariant.getMessage().contains("model_quantized.onnx") && otherVariant.getMessage().contains("HF_HUB_OFFLINE"),
                otherVariant.getMessage());
        assertEquals(before, hub.requests().size());
    }

    @Test
    void offlineModeWithAColdCacheFailsWithoutAnyRequest() {
        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings().withHubOffline(true)).folder());

        assertTrue(e.getMessage().contains("is not in the cache") && e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
        assertTrue(hub.requests().isEmpty());
    }

    @Test
    void unreachableHubFallsBackToTheCache() {
        Path online = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();
        SourceSettings settings = hub.settings();
        hub.close();

        assertEquals(online, ModelSources.locate(SOURCE, "model.onnx", cache, settings).folder());

        ModelSourceException cold = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate(SOURCE, "model.onnx", cache.resolve("other"), settings).folder());
        assertTrue(cold.getMessage().contains("failed: java.net.ConnectException") && cold.getMessage().contains("is not in the cache"),
                cold.getMessage());
    }

    @Test
    void concurrentCallersDownloadEachFileOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Path>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder());
            }
            Set<Path> snapshots = pool.invokeAll(calls).stream().map(HuggingFaceSourceTest::get).collect(Collectors.toSet());

            assertEquals(1, snapshots.size());
            assertArrayEquals(model, Files.readAllBytes(snapshots.iterator().next().resolve(MODEL)));
            for (String file : List.of("gliner_config.json", "tokenizer.json", MODEL, MODEL_DATA)) {
                assertEquals(1, hub.downloadsOf(file).size(), file);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoJvmsSharingTheCacheDownloadEachFileOnce() throws Exception {
        // Both JVMs list the revision before any file is served, so their downloads would overlap without the file lock.
        hub.holdFilesUntilListings = 2;
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ResolveInChildJvm.class.getName(),
                    SOURCE, cache.toString(), hub.endpoint().toString())
                    .redirectErrorStream(true).start());
        }
        Set<String> printed = new HashSet<>();
        for (Process child : children) {
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, child.waitFor(), output);
            printed.add(output);
        }

        assertEquals(Set.of(cache.resolve("hub/models--acme--tiny-gliner/snapshots/" + FakeHub.COMMIT).toString()), printed);
        assertArrayEquals(model, Files.readAllBytes(cache.resolve("hub/models--acme--tiny-gliner/snapshots/" + FakeHub.COMMIT + "/" + MODEL)));
        for (String file : List.of("gliner_config.json", "tokenizer.json", MODEL, MODEL_DATA)) {
            assertEquals(1, hub.downloadsOf(file).size(), file);
        }
    }

    @Test
    void listedPathsLeadingOutOfTheSnapshotAreIgnored() throws IOException {
        hub.file(MODEL_DATA + "/../../../../../escaped", new byte[] {1}, false);

        Path snapshot = ModelSources.locate(SOURCE, "model.onnx", cache, hub.settings()).folder();

        assertEquals(Set.of("gliner_config.json", "tokenizer.json", "tokenizer_config.json", MODEL, MODEL_DATA), filesUnder(snapshot));
        try (Stream<Path> walk = Files.walk(cache)) {
            assertTrue(walk.noneMatch(p -> p.getFileName().toString().equals("escaped")));
        }
    }

    @Test
    void malformedIdsAreRejectedBeforeAnyRequest() {
        for (String bad : List.of("hf://", "hf://a/b/c", "hf://acme/../x", "hf://acme/x@", "hf://acme/x@a/../b", "hf://acme/x y")) {
            assertThrows(ModelSourceException.class, () -> ModelSources.locate(bad, "model.onnx", cache, hub.settings()).folder(), bad);
        }
        assertThrows(ModelSourceException.class, () -> ModelSources.locate(SOURCE, "../model.onnx", cache, hub.settings()).folder());
        assertTrue(hub.requests().isEmpty());
    }

    private static Path get(Future<Path> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> filesUnder(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/')).collect(Collectors.toSet());
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
