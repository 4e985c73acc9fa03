package io.glinerspark;

import io.glinerspark.ExtractionOptions.LongTextPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.glinerspark.Fixtures.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Texts longer than one window, on the fixture with 16-word windows (and the 384-word one for a 1 MB text). */
class LongTextTest {

    private static final List<String> LABELS = List.of("person", "location", "city");
    private static final ExtractionOptions DEFAULTS = ExtractionOptions.defaults();

    private static GlinerModel model;

    @BeforeAll
    static void load() {
        model = GlinerModel.load(Fixtures.options("span_small_window"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** {@code count} filler words with the given words placed at the given positions. */
    private static String text(int count, Object... wordsAt) {
        List<String> words = new ArrayList<>(Collections.nCopies(count, "x"));
        for (int i = 0; i < wordsAt.length; i += 2) {
            words.set((Integer) wordsAt[i], (String) wordsAt[i + 1]);
        }
        return String.join(" ", words);
    }

    /** Code-point start of word {@code index} in a text of single-character fillers and the placed words. */
    private static int startOf(String text, int index) {
        int start = 0;
        String[] words = text.split(" ");
        for (int i = 0; i < index; i++) {
            start += words[i].length() + 1;
        }
        return start;
    }

    @Test
    void entityAcrossAWindowSeamIsFoundOnceWithDocumentOffsets() {
        // Windows of 16 words, overlap capped at 8: [0,16) [8,24) [16,32) [24,40). "new" is the last word of the
        // first window, "york" the first of the third; the second window sees "new york" whole.
        String text = text(40, 10, "Alice", 15, "New", 16, "York", 30, "Paris");
        ExtractionStats stats = new ExtractionStats();
        List<ExtractionResult> results = model.extractEach(List.of(text), LABELS, DEFAULTS, stats);
        int newYork = startOf(text, 15);
        int alice = startOf(text, 10);
        int paris = startOf(text, 30);
        assertEquals(List.of(new Entity("Alice", "person", alice, alice + 5, p(3), 10, 10),
                        new Entity("New York", "location", newYork, newYork + 8, p(3), 15, 16),
                        new Entity("Paris", "location", paris, paris + 5, p(2.5), 30, 30)),
                results.get(0).entities());
        assertEquals(1, stats.chunkedDocuments());
        assertEquals(4, stats.windows());
        assertEquals(40, stats.words());
    }

    @Test
    void chunkingMatchesOneWindowWhenTheTextFits() {
        try (GlinerModel wide = GlinerModel.load(Fixtures.options("span"))) {
            String text = text(40, 3, "alice", 4, "bob", 15, "new", 16, "york", 17, "london", 25, "washington");
            ExtractionOptions nested = DEFAULTS.withFlatNer(false);
            assertEquals(wide.extract(List.of(text), LABELS, nested), model.extract(List.of(text), LABELS, nested));
        }
    }

    @Test
    void truncatePolicyKeepsTheFirstWindowAndSaysSo() {
        String text = text(40, 3, "alice", 30, "bob");
        ExtractionStats stats = new ExtractionStats();
        List<ExtractionResult> results = model.extractEach(List.of(text), LABELS,
                DEFAULTS.withLongText(LongTextPolicy.TRUNCATE), stats);
        assertEquals(List.of("alice"), results.get(0).entities().stream().map(Entity::text).toList());
        assertEquals(1, stats.truncatedDocuments());
        assertEquals(0, stats.chunkedDocuments());
    }

    @Test
    void failPolicyFailsOnlyTheLongText() {
        List<String> texts = List.of("alice", text(40, 30, "bob"), "paris");
        ExtractionStats stats = new ExtractionStats();
        List<ExtractionResult> results = model.extractEach(texts, LABELS, DEFAULTS.withLongText(LongTextPolicy.FAIL),
                stats);
        assertFalse(results.get(0).failed());
        assertTrue(results.get(1).failed());
        assertTrue(results.get(1).error().getMessage().contains("FAIL"), results.get(1).error().getMessage());
        assertEquals("paris", results.get(2).entities().get(0).text());
        assertEquals(1, stats.failedDocuments());
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> model.extract(texts, LABELS, DEFAULTS.withLongText(LongTextPolicy.FAIL)));
        assertTrue(thrown.getMessage().startsWith("text 1: "), thrown.getMessage());
    }

    @Test
    void aWordLongerThanAWindowFailsItsTextOnly() {
        // one word (CJK letters) that BERT splits into 600 sub-tokens: no window can hold it
        String monster = "alice " + "\u4E2D".repeat(600);
        List<ExtractionResult> results = model.extractEach(List.of("alice", monster), LABELS, DEFAULTS,
                new ExtractionStats());
        assertEquals(1, results.get(0).entities().size());
        assertTrue(results.get(1).failed());
        assertTrue(results.get(1).error().getMessage().contains("sub-tokens"), results.get(1).error().getMessage());
    }

    @Test
    void oneMegabyteTextIsChunked() {
        String sentence = "the quick brown fox saw alice in new york and nothing else happened today . ";
        int repeats = 1_000_000 / sentence.length() + 1;
        String text = sentence.repeat(repeats);
        ExtractionStats stats = new ExtractionStats();
        List<Entity> entities;
        try (GlinerModel wide = GlinerModel.load(Fixtures.options("span"))) {
            entities = wide.extractEach(List.of(text), LABELS, DEFAULTS, stats).get(0).entities();
        }
        assertEquals(2 * repeats, entities.size());
        Entity last = entities.get(entities.size() - 1);
        int lastSentence = (repeats - 1) * sentence.length();
        assertEquals(new Entity("new york", "location", lastSentence + 33, lastSentence + 41, p(3),
                (repeats - 1) * 15 + 7, (repeats - 1) * 15 + 8), last);
        assertEquals(1, stats.chunkedDocuments());
        assertTrue(stats.windows() > repeats * 15 / 384);
    }
}
