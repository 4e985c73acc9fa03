package io.glinerspark;

import io.glinerspark.types.Entity;
import io.glinerspark.types.InvalidLabelsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.glinerspark.Fixtures.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Label lists whose prompt does not fit the model's window, on the span fixture. The fixture scores a (word, label)
 * pair without looking at the other labels, so a split list must give exactly what one prompt with the few labels
 * that matter gives: same spans, labels and scores.
 */
@Tag("core")
class SplitLabelListTest {

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

    /**
     * 300 labels: fillers ("label0", ... in no fixture table, so background everywhere) with {@code placed} at the
     * given positions.
     */
    private static List<String> labels(Object... placed) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            labels.add("label" + i);
        }
        for (int i = 0; i < placed.length; i += 2) {
            labels.set((Integer) placed[i], (String) placed[i + 1]);
        }
        return labels;
    }

    private static final List<String> MANY = labels(5, "person", 140, "city", 290, "location");
    private static final List<String> FEW = List.of("person", "city", "location");

    @Test
    void threeHundredLabelsFindWhatThreeFind() {
        List<String> texts = List.of("Alice in New York", "john smith met bob in london and paris", "nothing", "");
        for (ExtractionOptions options : List.of(DEFAULTS, DEFAULTS.withFlatNer(false),
                DEFAULTS.withFlatNer(false).withMultiLabel(true), DEFAULTS.withThreshold(0.1f))) {
            ExtractionStats stats = new ExtractionStats();
            List<ExtractionResult> split = model.extractEach(texts, MANY, options, stats);
            assertEquals(model.extractEach(texts, FEW, options, new ExtractionStats()), split, options.toString());
            assertEquals(1, stats.splitLabelCalls());
            // 12 slices of 25 labels, each reading the three texts with words once
            assertEquals(300 / Extraction.MAX_SLICE_LABELS * 3, stats.windows(), stats.toString());
        }
        assertEquals(List.of(new Entity("Alice", "person", 0, 5, p(3), 0, 0),
                new Entity("New York", "location", 9, 17, p(3), 2, 3)), model.extract(texts, MANY, DEFAULTS).get(0));
    }

    @Test
    void labelOrderOfTheWholeListDecidesTiesAcrossSlices() {
        // london: location and city tie at 2.5; city comes first in MANY (slice 2 of the prompt) and wins, as in
        // one prompt with city before location, although location's slice runs later
        assertEquals(List.of(new Entity("London", "city", 0, 6, p(2.5), 0, 0)),
                model.extract(List.of("London"), MANY, DEFAULTS).get(0));
        List<String> locationFirst = labels(5, "person", 140, "location", 290, "city");
        assertEquals(List.of(new Entity("London", "location", 0, 6, p(2.5), 0, 0)),
                model.extract(List.of("London"), locationFirst, DEFAULTS).get(0));
        assertEquals(List.of(new Entity("London", "city", 0, 6, p(2.5), 0, 0),
                        new Entity("London", "location", 0, 6, p(2.5), 0, 0)),
                model.extract(List.of("London"), MANY, DEFAULTS.withMultiLabel(true)).get(0));
    }

    @Test
    void perLabelThresholdsApplyInEverySlice() {
        ExtractionOptions strictCity = DEFAULTS.withLabelThresholds(Map.of("city", 0.95f, "label7", 0.2f));
        assertEquals(List.of(new Entity("London", "location", 0, 6, p(2.5), 0, 0)),
                model.extract(List.of("London"), MANY, strictCity).get(0));
    }

    @Test
    void duplicatesAreRemovedBeforeSplitting() {
        List<String> doubled = new ArrayList<>(MANY);
        doubled.addAll(MANY);
        assertEquals(model.extract(List.of("bob in paris"), MANY, DEFAULTS),
                model.extract(List.of("bob in paris"), doubled, DEFAULTS));
    }

    @Test
    void longTextsAreWindowedWithinEachSlice() {
        try (GlinerModel small = GlinerModel.load(Fixtures.options("span_small_window"))) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                text.append(i == 7 ? "alice " : i == 15 ? "new " : i == 16 ? "york " : i == 50 ? "paris " : "x ");
            }
            List<String> texts = List.of(text.toString());
            ExtractionStats stats = new ExtractionStats();
            List<ExtractionResult> split = small.extractEach(texts, MANY, DEFAULTS, stats);
            assertEquals(small.extractEach(texts, FEW, DEFAULTS, new ExtractionStats()), split);
            assertEquals(List.of("alice", "new york", "paris"),
                    split.get(0).entities().stream().map(Entity::text).toList());
            assertEquals(1, stats.chunkedDocuments(), "counted once, not once per slice");
            assertEquals(1, stats.documents());
        }
    }

    @Test
    void tokenLevelModelsMergeTheirSlicesToo() {
        List<String> many = labels(5, "person", 60, "organization", 140, "city", 290, "location");
        List<String> few = List.of("person", "organization", "city", "location");
        List<String> texts = List.of("john smith", "bank of america", "new york", "john dave smith");
        try (GlinerModel tokenLevel = GlinerModel.load(Fixtures.options("token_new"))) {
            for (ExtractionOptions options : List.of(DEFAULTS, DEFAULTS.withFlatNer(false))) {
                List<List<Entity>> expected = tokenLevel.extract(texts, few, options);
                assertEquals(expected, tokenLevel.extract(texts, many, options), options.toString());
                assertTrue(expected.stream().mapToInt(List::size).sum() >= 3, expected.toString());
            }
        }
    }

    @Test
    void aListThatFitsOnePromptIsNotSplit() {
        List<String> hundred = labels(0, "person").subList(0, 100);
        ExtractionStats stats = new ExtractionStats();
        model.extractEach(List.of("alice"), hundred, DEFAULTS, stats);
        assertEquals(0, stats.splitLabelCalls());
        assertEquals(1, stats.windows());
    }

    @Test
    void checkLabelsAcceptsASplittableListAndNamesALabelThatCannotFit() {
        model.checkLabels(MANY);
        List<String> withMonster = new ArrayList<>(MANY);
        withMonster.set(200, "\u4E2D".repeat(600));
        InvalidLabelsException error = assertThrows(InvalidLabelsException.class, () -> model.checkLabels(withMonster));
        assertTrue(error.getMessage().contains("600 characters") && error.getMessage().contains("no room for text"),
                error.getMessage());
        assertThrows(InvalidLabelsException.class,
                () -> model.extract(List.of("alice"), withMonster, DEFAULTS));
        List<String> withEmpty = new ArrayList<>(MANY);
        withEmpty.set(250, "");
        assertThrows(InvalidLabelsException.class, () -> model.checkLabels(withEmpty));
    }
}
