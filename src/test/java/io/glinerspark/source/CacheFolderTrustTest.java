package io.glinerspark.source;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Cache folders that another user owns or may write to are refused; the fallback cache is not a predictable name. */
@Tag("core")
class CacheFolderTrustTest {

    private static final String OTHER_USER = "glinercachetest";
    private static boolean createdUser;

    @TempDir
    Path temp;

    private FakeHub hub;

    @BeforeAll
    static void createSecondUser() throws Exception {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/sbin/useradd"))) {
            return;
        }
        if (run("id", "-u", OTHER_USER) != 0) {
            createdUser = run("/usr/sbin/useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER_USER) == 0;
        }
    }

    @AfterAll
    static void removeSecondUser() throws Exception {
        if (createdUser) {
            run("/usr/sbin/userdel", OTHER_USER);
        }
    }

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub()
                .file("gliner_config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file("tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file("model.onnx", new byte[] {1, 2, 3}, true);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void cacheFolderOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing a folder's owner needs root");
        assumeTrue(run("id", "-u", OTHER_USER) == 0, "no second user: useradd is missing or failed");
        Path cache = Files.createDirectories(temp.resolve("theirs"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        UserPrincipal other = cache.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OTHER_USER);
        Files.setOwner(cache, other);

        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", cache, hub.settings()));

        assertTrue(e.getMessage().contains("cache folder " + cache) && e.getMessage().contains("owned by " + OTHER_USER)
                && e.getMessage().contains(ModelSources.CACHE_ENV), e.getMessage());
        assertTrue(hub.requests().isEmpty(), "nothing fetched for a refused cache");
        try (var entries = Files.list(cache)) {
            assertEquals(0, entries.count(), "nothing written into the other user's folder");
        }
    }

    @Test
    void cacheFolderWritableByOthersIsRefused() throws IOException {
        Path cache = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", cache, hub.settings()));

        assertTrue(e.getMessage().contains("cache folder " + cache) && e.getMessage().contains("writable by other users")
                && e.getMessage().contains("rwxrwxrwx"), e.getMessage());
        assertTrue(hub.requests().isEmpty());

        Path subfolder = Files.createDirectories(temp.resolve("mine/hub"));
        Files.setPosixFilePermissions(subfolder, PosixFilePermissions.fromString("rwxrwx---"));
        ModelSourceException sub = assertThrows(ModelSourceException.class,
                () -> ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", temp.resolve("mine"), hub.settings()));
        assertTrue(sub.getMessage().contains("cache folder " + subfolder), sub.getMessage());
    }

    @Test
    void newCacheFoldersArePrivateAndReadableOnesAreTightened() throws IOException {
        Path cache = temp.resolve("new/cache");
        ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", cache, hub.settings());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.resolve("hub"))));

        Path older = Files.createDirectories(temp.resolve("older"));
        Files.setPosixFilePermissions(older, PosixFilePermissions.fromString("rwxr-xr-x"));
        ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", older, hub.settings());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(older)));
    }

    @Test
    void withoutAHomeTheCacheIsAFreshPrivateTemporaryFolderNotAPredictableOne() throws IOException {
        Path probe = Files.createTempFile("where", ".tmp"); // the folder the JVM makes temporary files in
        Path tmp = probe.getParent();
        Files.delete(probe);
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        Path predictable = tmp.resolve("gliner-spark-" + user);
        boolean planted = !Files.exists(predictable);
        if (planted) {
            Files.createDirectories(predictable);
            Files.setPosixFilePermissions(predictable, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        try {
            Map<String, String> none = Map.of();
            Path cache = ModelSources.defaultCacheDir(none::get, "/no/such/home", ModelSources::jvmTempCache);

            assertNotEquals(predictable, cache);
            assertEquals(tmp, cache.getParent());
            assertTrue(cache.getFileName().toString().startsWith("gliner-spark-"), cache.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
            assertEquals(cache, ModelSources.defaultCacheDir(none::get, "", ModelSources::jvmTempCache), "one per JVM");
        } finally {
            if (planted) {
                Files.delete(predictable);
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
