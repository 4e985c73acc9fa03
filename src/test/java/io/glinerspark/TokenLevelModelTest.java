package io.glinerspark;

import io.glinerspark.types.Entity;
import io.glinerspark.types.TokenScore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.glinerspark.Fixtures.p;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Token-level models in both output layouts ([B, W, C, 3] from gliner 0.2.21, [3, B, W, C] before): the layout
 * is detected at load, so both fixtures, which hold the same numbers, must give the same entities.
 */
@Tag("core")
class TokenLevelModelTest {

    private static final Map<String, GlinerModel> MODELS = new HashMap<>();
    private static final ExtractionOptions DEFAULTS = ExtractionOptions.defaults();

    @BeforeAll
    static void load() {
        for (String name : List.of("token_new", "token_old")) {
            MODELS.put(name, GlinerModel.load(Fixtures.options(name)));
        }
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(GlinerModel::close);
    }

    private static List<Entity> one(String fixture, String text, List<String> labels, ExtractionOptions options) {
        return MODELS.get(fixture).extract(List.of(text), labels, options).get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_new", "token_old"})
    void minScoreOfInsideStartAndEnd(String fixture) {
        assertEquals(List.of(new Entity("John Smith", "person", 0, 10, p(1), 0, 1)),
                one(fixture, "John Smith", List.of("person"), DEFAULTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_new", "token_old"})
    void meanOfInsideScoreAsBefore0217(String fixture) {
        List<Entity> entities = one(fixture, "John Smith", List.of("person"), DEFAULTS.withTokenScore(TokenScore.MEAN));
        assertEquals(1, entities.size());
        assertEquals((p(2) + p(1)) / 2, entities.get(0).score(), 1e-6f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_new", "token_old"})
    void anInsideWordBelowThresholdBreaksTheSpan(String fixture) {
        assertEquals(List.of(), one(fixture, "John Dave Smith", List.of("person"), DEFAULTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_new", "token_old"})
    void flatAndNestedSelection(String fixture) {
        List<String> labels = List.of("location", "city");
        Entity york = new Entity("York", "city", 4, 8, p(2), 1, 1);
        Entity newYork = new Entity("New York", "location", 0, 8, p(1.5), 0, 1);
        assertEquals(List.of(york), one(fixture, "New York", labels, DEFAULTS));
        assertEquals(List.of(newYork, york), one(fixture, "New York", labels, DEFAULTS.withFlatNer(false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_new", "token_old"})
    void scoreTiesGoToTheEarlierStartCell(String fixture) {
        // organization over all three words and location "america" both score sigmoid(2); the start cell
        // (bank, organization) comes before (america, location) in row-major order, so it is accepted first.
        assertEquals(List.of(new Entity("Bank of America", "organization", 0, 15, p(2), 0, 2)),
                one(fixture, "Bank of America", List.of("location", "organization"), DEFAULTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_new", "token_old"})
    void probabilityExactlyAtThresholdIsRejected(String fixture) {
        assertEquals(List.of(), one(fixture, "carol", List.of("person"), DEFAULTS));
        assertEquals(List.of(new Entity("carol", "person", 0, 5, 0.5f, 0, 0)),
                one(fixture, "carol", List.of("person"), DEFAULTS.withThreshold(0.4f)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_new", "token_old"})
    void batchedEqualsOneByOne(String fixture) {
        List<String> texts = List.of("John Smith met Alice in Paris", "Bank of America", "carol", "",
                "alice bob google london new york john dave smith", "New York");
        List<String> labels = List.of("person", "location", "organization", "city");
        List<List<Entity>> batched = MODELS.get(fixture).extract(texts, labels, DEFAULTS);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(one(fixture, texts.get(i), labels, DEFAULTS), batched.get(i));
        }
        assertEquals(MODELS.get("token_new").extract(texts, labels, DEFAULTS), batched);
    }
}
