package io.glinerspark;

import io.glinerspark.encode.GlinerTokenizer;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Spelling;
import io.glinerspark.types.Entity;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Labels with descriptions, on the shipped model: the prompt carries each description in place of its label, the
 * entities keep the label, and descriptions are held to every rule labels are held to.
 */
@Tag("core")
class LabelDescriptionsTest {

    private static final GlinerModel MODEL = GlinerModel.shared(ModelOptions.defaults());
    private static final List<String> TEXTS = List.of(
            "Tim Cook announced in Cupertino that Apple will open a new campus in Austin next year.",
            "Dr. Maria Lopez prescribed ibuprofen to the patient at Mount Sinai Hospital in New York.",
            "The Federal Reserve raised interest rates on Wednesday, said Jerome Powell.");
    private static final Map<String, String> DESCRIBED = described(
            "person", "name of a human being",
            "organization", "company, institution or agency",
            "location", "city, country or other place");

    private static GlinerTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() {
        tokenizer = GlinerTokenizer.load(Path.of(System.getProperty("gliner.repo.root", "."),
                "models/default/tokenizer.json"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static Map<String, String> described(String... labelAndDescription) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labelAndDescription.length; i += 2) {
            map.put(labelAndDescription[i], labelAndDescription[i + 1]);
        }
        return map;
    }

    @Test
    void theDescriptionsAreWhatThePromptCarriesAndTheEntitiesKeepTheLabels() {
        List<String> names = List.copyOf(DESCRIBED.keySet());
        ExtractionStats plain = new ExtractionStats();
        MODEL.extractEach(TEXTS, names, ExtractionOptions.defaults(), plain);
        ExtractionStats withDescriptions = new ExtractionStats();
        List<ExtractionResult> found = MODEL.extractEach(TEXTS, LabelSet.described(DESCRIBED),
                ExtractionOptions.defaults(), withDescriptions);

        // Each sequence's prompt grows by the descriptions' sub-tokens over the labels' own.
        int extra = Arrays.stream(tokenizer.tokenCounts(List.copyOf(DESCRIBED.values()))).sum()
                - Arrays.stream(tokenizer.tokenCounts(names)).sum();
        assertTrue(extra > 0);
        assertEquals(plain.windows(), withDescriptions.windows());
        assertEquals(plain.tokens() + extra * withDescriptions.windows(), withDescriptions.tokens(),
                plain + " / " + withDescriptions);

        int entities = 0;
        for (ExtractionResult result : found) {
            assertFalse(result.failed(), String.valueOf(result.error()));
            for (Entity entity : result.entities()) {
                assertTrue(DESCRIBED.containsKey(entity.label()), entity.toString());
                entities++;
            }
        }
        assertTrue(entities >= 6, found.toString());
    }

    @Test
    void descriptionsExtractAsTheDescriptionsUsedAsLabelsRenamedBack() {
        // "location" has no description: it is prompted as itself.
        Map<String, String> descriptions = new LinkedHashMap<>(DESCRIBED);
        descriptions.remove("location");
        List<String> names = List.of("person", "organization", "location");
        List<String> prompts = List.of("name of a human being", "company, institution or agency", "location");
        Map<String, String> nameOf = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            nameOf.put(prompts.get(i), names.get(i));
        }

        List<List<Entity>> withDescriptions = MODEL.extract(TEXTS, LabelSet.of(names, descriptions),
                ExtractionOptions.defaults());
        List<List<Entity>> asLabels = MODEL.extract(TEXTS, prompts, ExtractionOptions.defaults());

        List<List<Entity>> renamed = new ArrayList<>();
        for (List<Entity> entities : asLabels) {
            renamed.add(entities.stream().map(e -> new Entity(e.text(), nameOf.get(e.label()), e.start(), e.end(),
                    e.score(), e.startWord(), e.endWord())).toList());
        }
        assertEquals(renamed, withDescriptions);
        assertTrue(withDescriptions.stream().anyMatch(list -> list.stream().anyMatch(e -> e.label().equals("person"))));
        // The descriptions matter: plain labels do not give the same scores.
        assertNotEquals(MODEL.extract(TEXTS, names, ExtractionOptions.defaults()), withDescriptions);
    }

    @Test
    void perLabelThresholdsAndPerTextSetsKeyOnTheLabel() {
        ExtractionOptions strictPeople = ExtractionOptions.from(SettingValues.of(Map.of("labelThresholds",
                "person=0.9999"), Spelling.PARAM));
        List<List<Entity>> found = MODEL.extract(TEXTS, LabelSet.described(DESCRIBED), strictPeople);
        assertTrue(found.stream().flatMap(List::stream).noneMatch(e -> e.label().equals("person")), found.toString());
        assertTrue(found.stream().flatMap(List::stream).anyMatch(e -> e.label().equals("location")), found.toString());

        List<LabelSet> sets = List.of(LabelSet.described(DESCRIBED), LabelSet.of(List.copyOf(DESCRIBED.keySet())),
                LabelSet.described(new LinkedHashMap<>(DESCRIBED)));
        List<ExtractionResult> perText = PerTextLabels.extractSets(MODEL, List.of(TEXTS.get(0), TEXTS.get(0),
                TEXTS.get(0)), sets, ExtractionOptions.defaults(), new ExtractionStats());
        assertEquals(perText.get(0), perText.get(2));
        assertEquals(MODEL.extractEach(List.of(TEXTS.get(0)), sets.get(1), ExtractionOptions.defaults(),
                new ExtractionStats()).get(0), perText.get(1));
        assertNotEquals(perText.get(0), perText.get(1));
    }

    @Test
    void repeatedLabelsCountOnceAndPromptsMustBeUnique() {
        List<List<Entity>> once = MODEL.extract(TEXTS, List.of("person", "location"), ExtractionOptions.defaults());
        assertEquals(once, MODEL.extract(TEXTS, List.of("person", "location", "person"), ExtractionOptions.defaults()));
        assertEquals(once, MODEL.extract(TEXTS, LabelSet.of(List.of("person", "location", "person"),
                Map.of("unused", "a description of no label")), ExtractionOptions.defaults()));

        InvalidLabelsException same = assertThrows(InvalidLabelsException.class, () -> MODEL.checkLabels(
                LabelSet.described(described("person", "a human", "people", "a human"))));
        assertTrue(same.getMessage().contains("'person' and 'people'") && same.getMessage().contains("unique"),
                same.getMessage());
        // A description may not repeat another label prompted as itself either.
        assertThrows(InvalidLabelsException.class, () -> MODEL.checkLabels(LabelSet.of(List.of("person", "human"),
                Map.of("human", "person"))));
        List<ExtractionResult> results = MODEL.extractEach(List.of(TEXTS.get(0)), LabelSet.of(List.of("person"),
                Map.of("person", "person")), ExtractionOptions.defaults(), new ExtractionStats());
        assertEquals(MODEL.extract(List.of(TEXTS.get(0)), List.of("person"), ExtractionOptions.defaults()).get(0),
                results.get(0).entities());
    }

    @Test
    void aDescriptionIsRefusedAsALabelWouldBeNamingItsLabel() {
        for (String description : List.of("a human <<ENT>> being", "[CLS] person", "")) {
            LabelSet labels = LabelSet.of(List.of("person", "location"), Map.of("person", description));
            ExtractionStats stats = new ExtractionStats();
            InvalidLabelsException refused = assertThrows(InvalidLabelsException.class,
                    () -> MODEL.extractEach(List.of(TEXTS.get(0)), labels, ExtractionOptions.defaults(), stats));
            assertTrue(refused.getMessage().contains("label 'person' (its description '" + description + "')"),
                    refused.getMessage());
            assertEquals(0, stats.batches());
            // The same list with the text as a label is refused alike, and the plain list is fine.
            assertThrows(InvalidLabelsException.class, () -> MODEL.checkLabels(List.of(description, "location")));
            MODEL.checkLabels(List.of("person", "location"));
        }
        List<ExtractionResult> perText = PerTextLabels.extractSets(MODEL, List.of(TEXTS.get(0), TEXTS.get(1)),
                List.of(LabelSet.of(List.of("person"), Map.of("person", "<<SEP>>")), LabelSet.of(List.of("person"))),
                ExtractionOptions.defaults(), new ExtractionStats());
        assertInstanceOf(InvalidLabelsException.class, perText.get(0).error());
        assertFalse(perText.get(1).failed());
    }

    @Test
    void promptLengthAndLabelSlicesCountTheDescriptionsSubTokens() {
        int positions = MODEL.info().positionLimit();
        String endless = "word ".repeat(positions).strip();
        InvalidLabelsException tooLong = assertThrows(InvalidLabelsException.class,
                () -> MODEL.checkLabels(LabelSet.of(List.of("person"), Map.of("person", endless))));
        assertTrue(tooLong.getMessage().contains("label 'person' (its description ") && tooLong.getMessage()
                .contains("leaving no room for text"), tooLong.getMessage());

        // Twelve short labels fit one prompt; described at length they take more than all positions and run as slices.
        Map<String, String> verbose = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        int repeats = positions / 48 + 2;
        for (int i = 0; i < 12; i++) {
            names.add("type" + i);
            verbose.put("type" + i, "kind number " + i + " " + "of something quite specific ".repeat(repeats).strip());
        }
        ExtractionStats plain = new ExtractionStats();
        MODEL.extractEach(List.of(TEXTS.get(0)), names, ExtractionOptions.defaults(), plain);
        ExtractionStats split = new ExtractionStats();
        MODEL.extractEach(List.of(TEXTS.get(0)), LabelSet.of(names, verbose), ExtractionOptions.defaults(), split);
        assertEquals(0, plain.splitLabelCalls(), plain.toString());
        assertEquals(1, split.splitLabelCalls(), split.toString());
    }

    @Test
    void aLabelSetIsAValueOfItsLabelsAndTheirDescriptions() {
        LabelSet set = LabelSet.of(Arrays.asList("drug", "dose", "drug"), described("drug", "a medication",
                "other", "ignored", "dose", null));
        assertEquals(Arrays.asList("drug", "dose", "drug"), set.labels());
        assertEquals(Map.of("drug", "a medication"), set.descriptions());
        assertEquals("a medication", set.prompt("drug"));
        assertEquals("dose", set.prompt("dose"));
        assertEquals(set, LabelSet.of(List.of("drug", "dose", "drug"), Map.of("drug", "a medication")));
        assertNotEquals(set, LabelSet.of(List.of("drug", "dose", "drug")));
        assertEquals("[drug=a medication, dose, drug=a medication]", set.toString());
        assertEquals(List.of("person", "organization", "location"), LabelSet.described(DESCRIBED).labels());
    }
}
