package io.glinerspark;

import io.glinerspark.ExtractionOptions.LongTextPolicy;
import io.glinerspark.types.Entity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
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
@Tag("core")
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

    /** One word that BERT splits into 8,000 sub-tokens (one per CJK letter): no window can hold it. */
    private static final String OVERSIZED = "\u4E2D".repeat(8000);

    @Test
    void anOversizedWordIsSkippedAndTheRestOfTheTextExtractedWithExactOffsets() {
        String text = "alice met bob in " + OVERSIZED + " then london";
        int london = text.length() - 6;
        List<Entity> expected = List.of(new Entity("alice", "person", 0, 5, p(3), 0, 0),
                new Entity("bob", "person", 10, 13, p(3), 2, 2),
                new Entity("london", "location", london, london + 6, p(2.5), 6, 6));
        try (GlinerModel wide = GlinerModel.load(Fixtures.options("span"))) {
            for (LongTextPolicy policy : List.of(LongTextPolicy.CHUNK, LongTextPolicy.TRUNCATE)) {
                ExtractionStats stats = new ExtractionStats();
                List<ExtractionResult> results = wide.extractEach(List.of("bob", text), LABELS,
                        DEFAULTS.withLongText(policy), stats);
                assertEquals(List.of(new Entity("bob", "person", 0, 3, p(3), 0, 0)), results.get(0).entities());
                assertEquals(expected, results.get(1).entities(), policy.name());
                assertEquals(1, stats.oversizedWords(), policy.name());
                assertEquals(0, stats.failedDocuments(), policy.name());
            }
        }
    }

    @Test
    void noSpanReachesAcrossAnOversizedWord() {
        // "john smith" is one person span (2 + 2 - 1 = 3) when the words are neighbours; the word between them
        // cannot be in a span, so each name is found on its own
        String text = "john " + OVERSIZED + " smith";
        int smith = text.length() - 5;
        assertEquals(List.of(new Entity("john", "person", 0, 4, p(2), 0, 0),
                        new Entity("smith", "person", smith, smith + 5, p(2), 2, 2)),
                model.extract(List.of(text), LABELS, DEFAULTS.withFlatNer(false)).get(0));
    }

    @Test
    void windowsAroundAnOversizedWordInALongTextStillOverlap() {
        // 16-word windows: the oversized word 20 ends one window and the next starts right after it
        String text = text(40, 3, "alice", 19, "bob", 20, OVERSIZED, 21, "new", 22, "york", 35, "paris");
        int[] codePoints = text.codePoints().toArray();
        ExtractionStats stats = new ExtractionStats();
        List<Entity> entities = model.extractEach(List.of(text), LABELS, DEFAULTS, stats).get(0).entities();
        assertEquals(List.of("alice|person|3", "bob|person|19", "new york|location|21", "paris|location|35"),
                entities.stream().map(e -> e.text() + "|" + e.label() + "|" + e.startWord()).toList());
        for (Entity e : entities) {
            assertEquals(e.text(), new String(codePoints, e.start(), e.end() - e.start()), "exact offsets");
        }
        assertEquals(1, stats.oversizedWords());
        assertEquals(1, stats.chunkedDocuments());
    }

    @Test
    void aTextOfOnlyOversizedWordsHasNoEntitiesAndNeverReachesTheGraph() {
        ExtractionStats stats = new ExtractionStats();
        List<ExtractionResult> results = model.extractEach(List.of(OVERSIZED + " " + OVERSIZED), LABELS, DEFAULTS,
                stats);
        assertEquals(List.of(), results.get(0).entities());
        assertFalse(results.get(0).failed());
        assertEquals(2, stats.oversizedWords());
        assertEquals(0, stats.batches());
    }

    @Test
    void failPolicyMakesATextWithAnOversizedWordAnErrorOfThatTextOnly() {
        List<ExtractionResult> results = model.extractEach(List.of("alice", "bob " + OVERSIZED), LABELS,
                DEFAULTS.withLongText(LongTextPolicy.FAIL), new ExtractionStats());
        assertEquals(1, results.get(0).entities().size());
        assertTrue(results.get(1).failed());
        String message = results.get(1).error().getMessage();
        assertTrue(message.contains("largest word 8000") && message.contains("FAIL"), message);
        assertFalse(message.contains("\u4E2D"), "the message does not quote the text");
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
