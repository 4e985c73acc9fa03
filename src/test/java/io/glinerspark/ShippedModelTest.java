package io.glinerspark;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trained model shipped as the default finds real entities in sentences it has never seen. */
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
}
