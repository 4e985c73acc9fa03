package io.glinerspark;

import io.glinerspark.types.Entity;
import io.glinerspark.types.InvalidLabelsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.glinerspark.Fixtures.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parity checklist of the inference spec (section 8) on the span fixture, whose logits are known by
 * construction: every expected entity and score below is computed by hand from the fixture's table.
 *
 * <p>Checklist items and where they are tested: 1 word regex ({@code WordSplitterTest}); 2 code-point offsets
 * ({@link #codePointOffsets}); 3 no silent truncation ({@link #noSilentTruncationAtThePositionLimit}); 4 specials
 * from the tokenizer ({@code PromptEncoderTest}); 5 words_mask and sub-token-less words
 * ({@link #wordWithoutSubTokenKeepsLaterWordsAligned}, {@code PromptEncoderTest}); 6 boolean span_mask and 7 W*K
 * span rows ({@code BatchTensorsTest}, {@code ModelLoadingTest}); 8 strict float32 threshold
 * ({@link #strictFloat32ThresholdAtTheBoundary}, {@code SpanDecoderTest}); 9 greedy selection (the flat, nested,
 * tie and overlap tests here, {@code GreedySelectorTest}); 10 token-level models ({@code TokenLevelModelTest});
 * 11 empty texts ({@link #emptyAndBlankTextsNeverReachTheGraph}); 12 labels
 * ({@link #labelsAreDeduplicatedKeepingFirstWithoutCaseFolding}, {@link #unusableLabelsAreRejectedByName}); 13
 * offsets, labels and scores ({@link #workedExampleFlat} and every expected entity here).
 */
@Tag("core")
class SpanModelParityTest {

    private static final List<String> LABELS = List.of("person", "location", "city");
    private static final ExtractionOptions DEFAULTS = ExtractionOptions.defaults();

    private static GlinerModel model;

    @BeforeAll
    static void load() {
        model = GlinerModel.load(Fixtures.options("span"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<Entity> one(String text, List<String> labels, ExtractionOptions options) {
        return model.extract(List.of(text), labels, options).get(0);
    }

    private static Entity entity(String text, String label, int start, int end, double logit, int startWord,
                                 int endWord) {
        return new Entity(text, label, start, end, p(logit), startWord, endWord);
    }

    @Test
    void workedExampleFlat() {
        assertEquals(List.of(entity("Alice", "person", 0, 5, 3.0, 0, 0),
                        entity("New York", "location", 9, 17, 3.0, 2, 3)),
                one("Alice in New York", LABELS, DEFAULTS));
    }

    @Test
    void nestedModeKeepsContainedSpansInAcceptanceOrderPerStart() {
        assertEquals(List.of(entity("Alice", "person", 0, 5, 3.0, 0, 0),
                        entity("New York", "location", 9, 17, 3.0, 2, 3),
                        entity("New", "location", 9, 12, 2.0, 2, 2),
                        entity("York", "location", 13, 17, 2.0, 3, 3)),
                one("Alice in New York", LABELS, DEFAULTS.withFlatNer(false)));
        // york/city has york/location's boundaries: that conflicts in nested mode too, unless multi-label
        assertEquals(List.of(entity("Alice", "person", 0, 5, 3.0, 0, 0),
                        entity("New York", "location", 9, 17, 3.0, 2, 3),
                        entity("New", "location", 9, 12, 2.0, 2, 2),
                        entity("York", "location", 13, 17, 2.0, 3, 3),
                        entity("York", "city", 13, 17, 1.0, 3, 3)),
                one("Alice in New York", LABELS, DEFAULTS.withFlatNer(false).withMultiLabel(true)));
    }

    @Test
    void scoreTieBetweenLabelsGoesToTheFirstCandidateUnlessMultiLabel() {
        assertEquals(List.of(entity("London", "location", 0, 6, 2.5, 0, 0)), one("London", LABELS, DEFAULTS));
        assertEquals(List.of(entity("London", "location", 0, 6, 2.5, 0, 0), entity("London", "city", 0, 6, 2.5, 0, 0)),
                one("London", LABELS, DEFAULTS.withMultiLabel(true)));
        // label order decides the tie, since class index is the last enumeration key
        assertEquals(List.of(entity("London", "city", 0, 6, 2.5, 0, 0)),
                one("London", List.of("city", "location"), DEFAULTS));
    }

    @Test
    void greedyPrefersTheHighestScoringOverlap() {
        assertEquals(List.of(entity("new york london", "location", 0, 15, 4.5, 0, 2)),
                one("new york london", LABELS, DEFAULTS));
        assertEquals(List.of(entity("alice bob", "person", 0, 9, 5.0, 0, 1)), one("alice bob", LABELS, DEFAULTS));
        assertEquals(List.of(entity("alice", "person", 0, 5, 3.0, 0, 0), entity("bob", "person", 10, 13, 3.0, 2, 2)),
                one("alice and bob", LABELS, DEFAULTS));
    }

    @Test
    void strictFloat32ThresholdAtTheBoundary() {
        // eve: logit 0, probability exactly 0.5
        assertEquals(List.of(), one("eve", LABELS, DEFAULTS));
        assertEquals(List.of(entity("eve", "person", 0, 3, 0.0, 0, 0)), one("eve", LABELS, DEFAULTS.withThreshold(0.4f)));
        assertEquals(List.of(entity("carol", "person", 0, 5, 0.5, 0, 0)), one("carol", LABELS, DEFAULTS));
        assertEquals(List.of(), one("dave", LABELS, DEFAULTS.withThreshold(0.3776f)));
        assertEquals(List.of(entity("dave", "person", 0, 4, -0.5, 0, 0)),
                one("dave", LABELS, DEFAULTS.withThreshold(0.3775f)));
    }

    @Test
    void perLabelThresholdsApplyBeforeTheGreedySelection() {
        // location and city tie at 2.5 (p 0.924); with location above reach, city is what the greedy sees first.
        ExtractionOptions strictLocation = DEFAULTS.withLabelThresholds(Map.of("location", 0.95f));
        assertEquals(List.of(entity("London", "city", 0, 6, 2.5, 0, 0)), one("London", LABELS, strictLocation));
    }

    @Test
    void codePointOffsets() {
        String text = "\uD83D\uDE00 Alice visited \uD835\uDC00 Paris";
        List<Entity> entities = one(text, LABELS, DEFAULTS);
        assertEquals(List.of(entity("Alice", "person", 2, 7, 3.0, 1, 1), entity("Paris", "location", 18, 23, 2.5, 4, 4)),
                entities);
        int[] codePoints = text.codePoints().toArray();
        for (Entity e : entities) {
            assertEquals(e.text(), new String(codePoints, e.start(), e.end() - e.start()));
        }
    }

    @Test
    void wordWithoutSubTokenKeepsLaterWordsAligned() {
        // U+200B is a word of its own (Python's \S) that BERT's normalizer erases entirely.
        assertEquals(List.of(entity("Alice", "person", 0, 5, 3.0, 0, 0), entity("Bob", "person", 8, 11, 3.0, 2, 2)),
                one("Alice \u200B Bob", LABELS, DEFAULTS));
    }

    @Test
    void noSilentTruncationAtThePositionLimit() {
        // 201 words, fewer than max_len 384, but far more than 512 sub-tokens: the engine must window it.
        String filler = "qzxv".repeat(3);
        String text = String.join(" ", Collections.nCopies(200, filler)) + " alice";
        ExtractionStats stats = new ExtractionStats();
        List<ExtractionResult> results = model.extractEach(List.of(text), LABELS, DEFAULTS, stats);
        int start = text.length() - 5;
        assertEquals(List.of(entity("alice", "person", start, start + 5, 3.0, 200, 200)), results.get(0).entities());
        assertEquals(1, stats.chunkedDocuments());
        assertTrue(stats.windows() > 1);
        assertTrue(stats.paddedTokens() <= 512L * stats.windows(), "no window is over the position limit");
    }

    @Test
    void emptyAndBlankTextsNeverReachTheGraph() {
        ExtractionStats stats = new ExtractionStats();
        List<String> texts = new ArrayList<>(List.of("", " \t\n\u001F ", "alice"));
        texts.add(0, null);
        List<ExtractionResult> results = model.extractEach(texts, LABELS, DEFAULTS, stats);
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of(entity("alice", "person", 0, 5, 3.0, 0, 0))),
                results.stream().map(ExtractionResult::entities).toList());
        assertEquals(4, stats.documents());
        assertEquals(1, stats.windows());
        ExtractionStats none = new ExtractionStats();
        model.extractEach(List.of("", "  "), LABELS, DEFAULTS, none);
        assertEquals(0, none.batches());
    }

    @Test
    void labelsAreDeduplicatedKeepingFirstWithoutCaseFolding() {
        assertEquals(one("alice in paris", List.of("person", "location"), DEFAULTS),
                one("alice in paris", List.of("person", "location", "person"), DEFAULTS));
        // "Person" and "person" are two classes with the same first sub-token: equal scores, first one wins
        assertEquals("Person", one("alice", List.of("Person", "person"), DEFAULTS).get(0).label());
        assertEquals("person", one("alice", List.of("person", "Person"), DEFAULTS).get(0).label());
    }

    @Test
    void unusableLabelsAreRejectedByName() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> one("alice", List.of("person", ""), DEFAULTS));
        assertTrue(empty.getMessage().contains("''"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> one("alice", List.of("\u200B"), DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> one("alice", List.of(), DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> one("alice", java.util.Arrays.asList("person", null),
                DEFAULTS));
        // one label whose prompt alone is longer than the model's 512 positions
        IllegalArgumentException overflow = assertThrows(InvalidLabelsException.class,
                () -> one("alice", List.of("person", "\u4E2D".repeat(600)), DEFAULTS));
        assertTrue(overflow.getMessage().contains("no room for text"), overflow.getMessage());
        assertFalse(overflow.getMessage().contains("\u4E2D".repeat(41)), "the label is abbreviated");
    }

    @Test
    void checkLabelsRejectsWhatExtractionWouldRejectWithoutAnyText() {
        model.checkLabels(LABELS);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> model.checkLabels(List.of("person", "")));
        assertTrue(empty.getMessage().contains("''"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.checkLabels(List.of()));
        assertThrows(IllegalArgumentException.class, () -> model.checkLabels(java.util.Arrays.asList("person", null)));
        assertThrows(InvalidLabelsException.class, () -> model.checkLabels(List.of("\u4E2D".repeat(600))));
    }

    @Test
    void preSplitWordsGetOffsetsInTheSpaceJoinedText() {
        List<List<Entity>> entities = model.extractWords(
                List.of(List.of("Alice", "lives", "in", "New", "York"), List.of()), LABELS, DEFAULTS);
        assertEquals(List.of(entity("Alice", "person", 0, 5, 3.0, 0, 0),
                entity("New York", "location", 15, 23, 3.0, 3, 4)), entities.get(0));
        assertEquals(List.of(), entities.get(1));
        List<ExtractionResult> withNull = model.extractWordsEach(List.of(java.util.Arrays.asList("alice", null)),
                LABELS, DEFAULTS, new ExtractionStats());
        assertTrue(withNull.get(0).failed());
    }

    /** Texts made of fixture words and fillers, of very different lengths. */
    private static List<String> mixedTexts(int count, long seed) {
        String[] vocabulary = {"alice", "bob", "carol", "john", "smith", "washington", "paris", "london", "new", "york",
                "google", "and", "in", "the", "met", "Schwarzenegger", "\u200B", "\uD83D\uDE00", ","};
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int words = 1 + random.nextInt(i % 5 == 0 ? 120 : 15);
            for (int w = 0; w < words; w++) {
                text.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
            }
            texts.add(text.toString());
        }
        return texts;
    }

    @Test
    void batchedEqualsOneByOne() {
        List<String> texts = mixedTexts(40, 3);
        ExtractionOptions nested = DEFAULTS.withFlatNer(false);
        ExtractionStats stats = new ExtractionStats();
        List<ExtractionResult> batched = model.extractEach(texts, LABELS, nested, stats);
        assertTrue(stats.batches() < texts.size(), "texts were batched");
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(one(texts.get(i), LABELS, nested), batched.get(i).entities(), "text " + i);
        }
        try (GlinerModel tinyBatches = GlinerModel.load(Fixtures.options("span").withBatchBudget(200, 60))) {
            assertEquals(batched, tinyBatches.extractEach(texts, LABELS, nested, new ExtractionStats()));
        }
    }

    @Test
    void concurrentCallsShareTheModel() throws Exception {
        List<String> texts = mixedTexts(20, 5);
        List<List<Entity>> expected = model.extract(texts, LABELS, DEFAULTS);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<Entity>>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> model.extract(texts, LABELS, DEFAULTS)));
            }
            for (Future<List<List<Entity>>> future : futures) {
                assertEquals(expected, future.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void float16LogitsAreRead() {
        try (GlinerModel fp16 = GlinerModel.load(Fixtures.options("span_fp16"))) {
            List<String> texts = List.of("Alice in New York", "london", "carol and dave");
            assertEquals(model.extract(texts, LABELS, DEFAULTS), fp16.extract(texts, LABELS, DEFAULTS));
        }
    }

    @Test
    void smallerMaxWidthLimitsSpanLength() {
        try (GlinerModel width4 = GlinerModel.load(Fixtures.options("span_width4"))) {
            assertEquals(4, width4.info().maxWidth());
            // person "alice bob alice bob alice" (5 words, 3*5-4*1 = 11) is out of reach for K=4
            List<Entity> entities = width4.extract(List.of("alice bob alice bob alice"), LABELS, DEFAULTS).get(0);
            assertTrue(entities.stream().allMatch(e -> e.endWord() - e.startWord() < 4), entities.toString());
            List<Entity> wide = one("alice bob alice bob alice", LABELS, DEFAULTS);
            assertEquals(List.of(entity("alice bob alice bob alice", "person", 0, 25, 11.0, 0, 4)), wide);
        }
    }

    @Test
    void infoDescribesTheFixture() {
        ModelInfo info = model.info();
        assertTrue(info.fixture());
        assertEquals("markerV0", info.spanMode());
        assertEquals(384, info.maxLen());
        assertEquals(12, info.maxWidth());
        assertEquals(512, info.positionLimit());
        assertEquals("cpu", info.device());
        assertEquals("model.onnx", info.onnxFile());
    }
}
