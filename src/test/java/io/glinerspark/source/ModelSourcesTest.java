package io.glinerspark.source;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class ModelSourcesTest {

    @TempDir
    Path temp;

    private static Path resolve(String source, Path cacheDir) {
        return ModelSources.locate(source, ModelSources.DEFAULT_ONNX_FILE, cacheDir, SourceSettings.fromEnvironment())
                .folder();
    }

    @Test
    void localFolderIsUsedInPlaceByPathOrFileUri() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("my model"));

        assertEquals(folder, resolve(folder.toString(), temp.resolve("cache")));
        assertEquals(folder, resolve(folder.toUri().toString(), temp.resolve("cache")));
        assertEquals(folder, resolve("  " + folder + "/sub/..  ", temp.resolve("cache")));
        assertFalse(Files.exists(temp.resolve("cache")), "a local folder needs no cache");
    }

    @Test
    void missingLocalFolderIsNamedInTheError() {
        Path missing = temp.resolve("no-such-model");

        ModelSourceException byPath = assertThrows(ModelSourceException.class, () -> resolve(missing.toString(), temp));
        ModelSourceException byUri = assertThrows(ModelSourceException.class, () -> resolve(missing.toUri().toString(), temp));

        assertTrue(byPath.getMessage().contains(missing + " does not exist"), byPath.getMessage());
        assertTrue(byUri.getMessage().contains(missing + " does not exist"), byUri.getMessage());
    }

    @Test
    void fileInsteadOfFolderAndEmptySourceAreRejected() throws IOException {
        Path file = Files.writeString(temp.resolve("model.onnx"), "x");

        ModelSourceException notFolder = assertThrows(ModelSourceException.class, () -> resolve(file.toString(), temp));
        ModelSourceException empty = assertThrows(ModelSourceException.class, () -> resolve(" ", temp));

        assertTrue(notFolder.getMessage().contains("is a file, not a folder"), notFolder.getMessage());
        assertTrue(empty.getMessage().contains("model source is empty"), empty.getMessage());
    }

    @Test
    void defaultSourceIsTheModelThatTheBuildBundles() throws IOException {
        Path repoModel = Path.of(System.getProperty("gliner.repo.root"), "models/default/" + BundledModelSource.LIST_FILE);
        if (Files.exists(repoModel)) {
            Path copy = resolve("default", temp);
            assertTrue(copy.startsWith(temp.resolve("bundled")), copy.toString());
            assertTrue(Files.isRegularFile(copy.resolve(BundleFiles.CONFIG)), "bundled copy lacks " + BundleFiles.CONFIG);
        } else {
            ModelSourceException e = assertThrows(ModelSourceException.class, () -> resolve("default", temp));
            assertTrue(e.getMessage().contains("bundles no model"), e.getMessage());
        }
    }

    @Test
    void coreWorksWithoutHadoopOnTheClassPath() throws Exception {
        URL classes = ModelSources.class.getProtectionDomain().getCodeSource().getLocation();
        Path folder = Files.createDirectories(temp.resolve("model"));
        try (URLClassLoader noHadoop = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> noHadoop.loadClass("org.apache.hadoop.fs.FileSystem"));
            Class<?> settingsClass = noHadoop.loadClass(SourceSettings.class.getName());
            Object settings = settingsClass.getMethod("fromEnvironment").invoke(null);
            Method locate = noHadoop.loadClass(ModelSources.class.getName())
                    .getMethod("locate", String.class, String.class, Path.class, settingsClass);

            Object resolved = locate.invoke(null, folder.toString(), "model.onnx", temp.resolve("cache"), settings);
            assertEquals(folder, resolved.getClass().getMethod("folder").invoke(resolved));

            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> locate.invoke(null, "s3a://bucket/model", "model.onnx", temp.resolve("cache"), settings));
            assertEquals(ModelSourceException.class.getName(), e.getCause().getClass().getName());
            assertTrue(e.getCause().getMessage().contains("Hadoop's FileSystem, which is not on the class path"), e.getCause().getMessage());
        }
    }

    @Test
    void defaultCacheDirFollowsTheEnvironment() {
        Path home = temp;
        Map<String, String> none = Map.of();
        Map<String, String> xdg = Map.of("XDG_CACHE_HOME", "/xdg");
        Map<String, String> both = Map.of("XDG_CACHE_HOME", "/xdg", ModelSources.CACHE_ENV, "/explicit");

        Path fallback = temp.resolve("fresh");
        assertEquals(Path.of("/explicit"), ModelSources.defaultCacheDir(both::get, home.toString(), () -> fallback));
        assertEquals(Path.of("/xdg/gliner-spark"), ModelSources.defaultCacheDir(xdg::get, home.toString(), () -> fallback));
        assertEquals(home.resolve(".cache/gliner-spark"), ModelSources.defaultCacheDir(none::get, home.toString(), () -> fallback));
        assertEquals(fallback, ModelSources.defaultCacheDir(none::get, "/no/such/home", () -> fallback));
    }

    @Test
    void settingsReadTheHubVariablesAndNeverPrintTheToken() {
        Map<String, String> env = Map.of("HF_ENDPOINT", "https://mirror.example/hf/", "HF_TOKEN", "hf_secret",
                "HF_HUB_OFFLINE", "TRUE", "HF_HUB_DOWNLOAD_TIMEOUT", "2.5");

        SourceSettings settings = SourceSettings.fromEnvironment(env::get);

        assertEquals(URI.create("https://mirror.example/hf"), settings.hubEndpoint());
        assertEquals("hf_secret", settings.hubToken());
        assertTrue(settings.hubOffline());
        assertEquals(Duration.ofMillis(2500), settings.hubTimeout());
        assertFalse(settings.toString().contains("hf_secret"), settings.toString());

        SourceSettings defaults = SourceSettings.fromEnvironment(name -> null);
        assertEquals(SourceSettings.PUBLIC_HUB, defaults.hubEndpoint());
        assertEquals(null, defaults.hubToken());
        assertFalse(defaults.hubOffline());
    }
}
