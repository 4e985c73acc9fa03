package io.glinerspark;

import io.glinerspark.runtime.SessionCache;
import io.glinerspark.types.ModelLoadException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM's shared models in a long-lived process: models nobody holds are closed, sessions included, once newer
 * ones replace them; a held model is never closed under its holder. Each test loads its own copies of the fixture,
 * so that no other test's models share their sessions.
 */
@Tag("core")
class SharedModelsTest {

    private static final List<String> LABELS = List.of("person");

    /** {@code count} copies of the fixture bundle, each in a folder of its own (a session per copy). */
    private static List<ModelOptions> copies(int count) throws IOException {
        List<ModelOptions> copies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path copy = Files.createTempDirectory("gliner-shared-" + i + "-");
            try (var files = Files.list(Fixtures.bundle("span"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            copies.add(Fixtures.options("span").withSource(copy.toString()));
        }
        return copies;
    }

    private static boolean sessionOpen(ModelOptions options) {
        Set<Path> open = SessionCache.openModelFiles();
        return open.stream().anyMatch(file -> file.startsWith(Path.of(options.source()).toAbsolutePath()));
    }

    private static int found(GlinerModel model) {
        return model.extract(List.of("alice and bob"), LABELS, ExtractionOptions.defaults()).get(0).size();
    }

    @Test
    void theLeastRecentlyUsedIdleModelIsClosedWhenAThirdArrives() throws IOException {
        List<ModelOptions> models = copies(3);
        SharedModels cache = new SharedModels(2, GlinerModel::load);
        try (GlinerModel first = cache.acquire(models.get(0))) {
            assertEquals(2, found(first));
        }
        assertTrue(sessionOpen(models.get(0)), "an idle model within the capacity stays loaded");
        GlinerModel second = cache.acquire(models.get(1));
        GlinerModel third = cache.acquire(models.get(2));
        assertFalse(sessionOpen(models.get(0)), "the least recently used idle model is closed");
        assertEquals(List.of(models.get(1), models.get(2)), cache.loaded());
        assertEquals(2, found(second));
        assertEquals(2, found(third));
        second.close();
        third.close();
        assertTrue(sessionOpen(models.get(1)) && sessionOpen(models.get(2)));

        // Used again, the first is loaded afresh and the least recently used of the others makes room.
        try (GlinerModel again = cache.acquire(models.get(0))) {
            assertEquals(2, found(again));
        }
        assertEquals(List.of(models.get(2), models.get(0)), cache.loaded());
        assertFalse(sessionOpen(models.get(1)));
        closeAll(cache, models);
    }

    @Test
    void aHeldModelIsNeverClosedUnderItsHolder() throws IOException {
        List<ModelOptions> models = copies(3);
        SharedModels cache = new SharedModels(2, GlinerModel::load);
        GlinerModel first = cache.acquire(models.get(0));
        GlinerModel second = cache.acquire(models.get(1));
        try (GlinerModel third = cache.acquire(models.get(2))) {
            assertEquals(3, cache.loaded().size(), "all three are held: none is closed");
            assertEquals(2, found(first));
            assertEquals(2, found(third));
        }
        // The third is among the two most recently used, and the first two are still held.
        assertEquals(3, cache.loaded().size());
        GlinerModel firstAgain = cache.acquire(models.get(0));
        first.close();
        assertTrue(sessionOpen(models.get(0)), "another hold on the first remains");
        assertEquals(2, found(firstAgain));
        second.close();
        assertFalse(sessionOpen(models.get(1)), "released and least recently used: closed");
        assertTrue(sessionOpen(models.get(0)) && sessionOpen(models.get(2)));
        firstAgain.close();
        firstAgain.close();
        assertEquals(List.of(models.get(2), models.get(0)), cache.loaded(), "closing a hold twice gives it back once");
        assertThrows(IllegalStateException.class, () -> found(firstAgain), "a closed hold refuses work");
        closeAll(cache, models);
    }

    @Test
    void holdsShareOneModelAndAFailedLoadIsTriedAgain() throws IOException {
        List<ModelOptions> models = copies(1);
        AtomicInteger loads = new AtomicInteger();
        SharedModels cache = new SharedModels(1, options -> {
            loads.incrementAndGet();
            return GlinerModel.load(options);
        });
        try (GlinerModel one = cache.acquire(models.get(0)); GlinerModel two = cache.acquire(models.get(0))) {
            assertEquals(one.info(), two.info());
        }
        assertEquals(1, loads.get());
        ModelOptions missing = models.get(0).withSource(models.get(0).source() + "-missing");
        assertThrows(ModelLoadException.class, () -> cache.acquire(missing));
        assertThrows(ModelLoadException.class, () -> cache.acquire(missing));
        assertEquals(3, loads.get(), "a failed load is not remembered");
        assertEquals(List.of(models.get(0)), cache.loaded());
        closeAll(cache, models);
    }

    /** Pushes this cache's models out by loading nothing else: acquires and releases a model per capacity slot. */
    private static void closeAll(SharedModels cache, List<ModelOptions> models) throws IOException {
        for (ModelOptions filler : copies(2)) {
            cache.acquire(filler).close();
        }
        for (ModelOptions options : models) {
            assertFalse(sessionOpen(options), options.source());
        }
    }
}
