package io.glinerspark;

import io.glinerspark.types.InvalidLabelsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Texts with their own label lists, on the span fixture: one model call per distinct list, results in input order. */
@Tag("core")
class PerTextLabelsTest {

    private static final ExtractionOptions OPTIONS = ExtractionOptions.defaults();
    private static final List<String> PEOPLE_AND_CITIES = List.of("person", "city");
    private static final List<String> LOCATIONS = List.of("location");
    private static final List<String> REJECTED = Arrays.asList("person", null);

    private static GlinerModel model;

    @BeforeAll
    static void load() {
        model = GlinerModel.load(Fixtures.options("span"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void interleavedListsGiveEachTextWhatItsOwnListGives() {
        List<String> texts = List.of("Alice in New York", "bob in london", "paris", "john smith met bob");
        List<List<String>> labels = List.of(PEOPLE_AND_CITIES, LOCATIONS, REJECTED, List.of("person", "city"));
        ExtractionStats stats = new ExtractionStats();

        List<ExtractionResult> results = PerTextLabels.extract(model, texts, labels, OPTIONS, stats);

        assertEquals(4, results.size());
        for (int i : new int[]{0, 1, 3}) {
            assertEquals(model.extractEach(List.of(texts.get(i)), labels.get(i), OPTIONS, new ExtractionStats()).get(0),
                    results.get(i), texts.get(i));
            assertFalse(results.get(i).entities().isEmpty(), texts.get(i));
        }
        assertInstanceOf(InvalidLabelsException.class, results.get(2).error());
        assertTrue(results.get(2).entities().isEmpty());
        // Equal lists share a call whatever their instances: two calls of one batch each, none for the rejected list.
        assertEquals(3, stats.documents(), stats.toString());
        assertEquals(2, stats.batches(), stats.toString());
    }

    @Test
    void everyTextNeedsItsLabelList() {
        assertThrows(IllegalArgumentException.class, () -> PerTextLabels.extract(model, List.of("a", "b"),
                List.of(LOCATIONS), OPTIONS, new ExtractionStats()));
    }
}
