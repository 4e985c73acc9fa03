package io.glinerspark;

import io.glinerspark.types.Entity;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trained model shipped as the default finds real entities in sentences it has never seen. */
@Tag("core")
class ShippedModelTest {

    private static final GlinerModel MODEL = GlinerModel.shared(ModelOptions.defaults());

    private static List<Entity> extract(String text, String... labels) {
        return MODEL.extract(List.of(text), List.of(labels), ExtractionOptions.defaults()).get(0);
    }

    private static void assertFound(List<Entity> entities, String text, String label) {
        assertTrue(entities.stream().anyMatch(e -> e.text().equals(text) && e.label().equals(label)),
                "expected '" + text + "' as " + label + " in " + entities);
    }

    @Test
    void isTheTrainedModelNotAFixture() {
        assertFalse(MODEL.info().fixture());
        assertEquals("markerV0", MODEL.info().spanMode());
        assertEquals("gliner-spark-minilm-l6-v1", MODEL.info().revision());
    }

    @Test
    void peoplePlacesOrganisationsAndDates() {
        List<Entity> entities = extract(
                "Angela Merkel met Emmanuel Macron in Paris on 14 July 2019 to discuss the Airbus contract.",
                "person", "location", "organization", "date");
        assertFound(entities, "Angela Merkel", "person");
        assertFound(entities, "Emmanuel Macron", "person");
        assertFound(entities, "Paris", "location");
        assertFound(entities, "14 July 2019", "date");
        assertFound(entities, "Airbus", "organization");
        Entity merkel = entities.get(0);
        assertEquals(0, merkel.start());
        assertEquals(13, merkel.end());
    }

    @Test
    void productsAndCompanies() {
        List<Entity> entities = extract("Microsoft acquired GitHub in 2018, and Samsung launched the Galaxy S24.",
                "company", "product", "date");
        assertFound(entities, "Microsoft", "company");
        assertFound(entities, "Galaxy S24", "product");
        assertFound(entities, "2018", "date");
    }

    @Test
    void biomedicalLabels() {
        List<Entity> entities = extract("The patient was given ibuprofen for the migraine.", "drug", "disease");
        assertFound(entities, "ibuprofen", "drug");
        assertFound(entities, "migraine", "disease");
    }

    @Test
    void labelsNeverSeenInTrainingStillBehave() {
        // "planet" is not among the training prompts.
        List<Entity> planets = extract("Mars and Jupiter are visible tonight, while Venus sets early.", "planet", "person");
        assertFound(planets, "Mars", "planet");
        assertFound(planets, "Jupiter", "planet");
        assertTrue(planets.stream().noneMatch(e -> e.label().equals("person")), planets.toString());

        List<Entity> instruments = extract("Yo-Yo Ma played the cello in Vienna.", "musical instrument", "person");
        assertFound(instruments, "cello", "musical instrument");
        assertFound(instruments, "Yo-Yo Ma", "person");
        assertTrue(instruments.stream().noneMatch(e -> e.text().equals("Vienna")), instruments.toString());
    }

    private static List<String> personTexts(List<Entity> entities) {
        return entities.stream().filter(e -> e.label().equals("person")).map(Entity::text).toList();
    }

    @Test
    void threeHundredLabelsFindTheSamePeopleAsAShortList() throws IOException {
        // 300 entity types of many domains, "person" among them: more than one prompt of 512 positions holds, so
        // the engine runs them in slices. Scores differ from a short list's (labels attend to each other in the
        // encoder); the people found must not.
        List<String> many = Files.readAllLines(Path.of(System.getProperty("gliner.repo.root", "."),
                "src/test/resources/labels-300.txt"));
        assertEquals(300, many.size());
        String text = "Angela Merkel met Emmanuel Macron in Paris on 14 July 2019.";
        ExtractionStats stats = new ExtractionStats();
        List<Entity> split = MODEL.extractEach(List.of(text), many, ExtractionOptions.defaults(), stats).get(0)
                .entities();
        assertEquals(1, stats.splitLabelCalls());
        assertEquals(List.of("Angela Merkel", "Emmanuel Macron"), personTexts(extract(text, "person", "location")));
        assertEquals(List.of("Angela Merkel", "Emmanuel Macron"), personTexts(split));
        assertEquals(0, split.get(0).start());
        assertEquals(13, split.get(0).end());
    }

    @Test
    void anOversizedWordDoesNotHideTheRestOfTheText() {
        // 8,000 CJK letters without a space: one word of 8,000 sub-tokens, more than any window holds
        String oversized = "\u4E2D".repeat(8000);
        String text = "Angela Merkel met " + oversized + " Emmanuel Macron in Paris.";
        ExtractionStats stats = new ExtractionStats();
        List<Entity> entities = MODEL.extractEach(List.of(text), List.of("person", "location"),
                ExtractionOptions.defaults(), stats).get(0).entities();
        assertEquals(1, stats.oversizedWords());
        assertFound(entities, "Angela Merkel", "person");
        assertFound(entities, "Emmanuel Macron", "person");
        assertFound(entities, "Paris", "location");
        Entity macron = entities.stream().filter(e -> e.text().equals("Emmanuel Macron")).findFirst().orElseThrow();
        assertEquals(18 + 8000 + 1, macron.start());
    }
}
