package io.glinerspark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glinerspark.types.Entity;
import io.glinerspark.types.InvalidLabelsException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Labels are text: on the shipped model, a label that spells one of the tokenizer's markers or special tokens is an
 * invalid label list, refused before any batch reaches the graph, and a text word read as the class marker fails its
 * own text only.
 */
@Tag("core")
class MarkerLabelsTest {

    private static final GlinerModel MODEL = GlinerModel.shared(ModelOptions.defaults());
    private static final String TEXT = "Alice met Bob in Paris.";
    private static final List<String> GOOD = List.of("person", "location");

    /** Every token the shipped bundle's tokenizer.json declares as added. */
    private static List<String> addedTokens() throws IOException {
        JsonNode file = new ObjectMapper().readTree(Path.of(System.getProperty("gliner.repo.root", "."),
                "models/default/tokenizer.json").toFile());
        List<String> tokens = new ArrayList<>();
        file.path("added_tokens").forEach(token -> tokens.add(token.path("content").asText()));
        return tokens;
    }

    @Test
    void markerLabelsAreRefusedNamingTheLabelAndNeverReachTheGraph() {
        for (List<String> labels : List.of(List.of("<<ENT>>", "location"), List.of("person <<SEP>> x", "location"))) {
            ExtractionStats stats = new ExtractionStats();
            InvalidLabelsException refused = assertThrows(InvalidLabelsException.class,
                    () -> MODEL.extractEach(List.of(TEXT), labels, ExtractionOptions.defaults(), stats));
            assertTrue(refused.getMessage().contains("'" + labels.get(0) + "'"), refused.getMessage());
            assertEquals(0, stats.batches(), "no batch ran: " + stats);
            assertThrows(InvalidLabelsException.class, () -> MODEL.checkLabels(labels));
        }
    }

    @Test
    void everyAddedTokenOfTheBundleIsRefusedInALabel() throws IOException {
        List<String> tokens = addedTokens();
        assertTrue(tokens.containsAll(List.of("<<ENT>>", "<<SEP>>", "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]")),
                tokens.toString());
        for (String token : tokens) {
            String label = "city " + token;
            InvalidLabelsException refused = assertThrows(InvalidLabelsException.class,
                    () -> MODEL.checkLabels(List.of("person", label)), label);
            assertTrue(refused.getMessage().contains(label), refused.getMessage());
        }
    }

    @Test
    void aMarkerListFailsOnlyItsOwnTexts() {
        List<String> texts = new ArrayList<>(Collections.nCopies(15, TEXT));
        List<List<String>> labels = new ArrayList<>(Collections.nCopies(15, GOOD));
        labels.set(7, List.of("<<ENT>>", "person"));

        List<ExtractionResult> results = PerTextLabels.extract(MODEL, texts, labels, ExtractionOptions.defaults(),
                new ExtractionStats());

        List<Entity> expected = MODEL.extract(List.of(TEXT), GOOD, ExtractionOptions.defaults()).get(0);
        assertFalse(expected.isEmpty());
        for (int i = 0; i < 15; i++) {
            if (i == 7) {
                assertInstanceOf(InvalidLabelsException.class, results.get(i).error());
                assertTrue(results.get(i).error().getMessage().contains("'<<ENT>>'"), results.get(i).toString());
            } else {
                assertEquals(expected, results.get(i).entities(), "text " + i);
            }
        }
    }

    @Test
    void aPreSplitWordReadAsTheClassMarkerIsThatTextsErrorAndTheBatchRuns() {
        // Raw text is split into words at punctuation, so '<<ENT>>' in it is plain text; given words are kept whole.
        assertFalse(MODEL.extractEach(List.of("Alice <<ENT>> Bob in Paris."), GOOD, ExtractionOptions.defaults(),
                new ExtractionStats()).get(0).failed());
        List<List<String>> words = List.of(List.of("Alice", "met", "Bob"), List.of("Alice", "<<ENT>>", "Bob"),
                List.of("Carol", "lives", "in", "London"));
        List<ExtractionResult> results = MODEL.extractWordsEach(words, GOOD, ExtractionOptions.defaults(),
                new ExtractionStats());
        assertFalse(results.get(0).failed() || results.get(0).entities().isEmpty(), results.get(0).toString());
        assertTrue(results.get(1).failed(), results.get(1).toString());
        assertFalse(results.get(1).error() instanceof InvalidLabelsException, results.get(1).toString());
        assertFalse(results.get(2).failed() || results.get(2).entities().isEmpty(), results.get(2).toString());
    }
}
