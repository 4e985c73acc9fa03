package io.glinerspark.dataset;

import io.glinerspark.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class GlinerJsonReaderTest {

    @Test
    void mapsCharacterOffsetsToWhitespaceWords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.json");
        Files.writeString(file, "[{\"sentence\": \"Angela  Merkel visited New York .\", \"entities\": ["
                + "{\"name\": \"Angela  Merkel\", \"type\": \"Person\", \"pos\": [0, 14]},"
                + "{\"name\": \"New York\", \"type\": \"location\", \"pos\": [23, 31]}]}]");
        LabelledSentence sentence = GlinerJsonReader.read(file, "t").get(0);
        assertEquals(List.of("Angela", "Merkel", "visited", "New", "York", "."), sentence.words());
        assertEquals(List.of(new GoldSpan(0, 1, "person"), new GoldSpan(3, 4, "location")), sentence.spans());
    }

    @Test
    void partialWordEntitiesWidenOrBecomeUnmatchableAsTheReferenceEvaluation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.json");
        Files.writeString(file, "[{\"sentence\": \"his Australian tour with Franco-African leaders\", \"entities\": ["
                + "{\"name\": \"Australia\", \"type\": \"LOC\", \"pos\": [4, 13]},"
                + "{\"name\": \"African\", \"type\": \"misc\", \"pos\": [32, 39]},"
                + "{\"name\": \"tour\", \"type\": \"event\", \"pos\": [15, 19]}]}]");
        assertEquals(List.of(new GoldSpan(1, 1, "loc"), new GoldSpan(4, 4, "misc"), new GoldSpan(2, 2, "event")),
                GlinerJsonReader.read(file, "t").get(0).spans());
        assertEquals(List.of(new GoldSpan(1, -1, "loc"), new GoldSpan(-1, 4, "misc"), new GoldSpan(2, 2, "event")),
                GlinerJsonReader.read(file, "t", GlinerJsonReader.PartialWords.UNMATCHABLE).get(0).spans());
        Path outside = dir.resolve("outside.json");
        Files.writeString(outside, "[{\"sentence\": \"a b\", \"entities\": [{\"type\": \"x\", \"pos\": [2, 9]}]}]");
        assertThrows(IllegalArgumentException.class,
                () -> GlinerJsonReader.read(outside, "t", GlinerJsonReader.PartialWords.UNMATCHABLE));
    }

    @Test
    void offsetsCountCodePointsAsPythonDoes(@TempDir Path dir) throws Exception {
        // "\uD83D\uDE00" is one code point (two UTF-16 units): Bob starts at code point 2.
        Path file = dir.resolve("test.json");
        Files.writeString(file, "[{\"sentence\": \"\uD83D\uDE00 Bob met Ann\", \"entities\": ["
                + "{\"name\": \"Bob\", \"type\": \"person\", \"pos\": [2, 5]},"
                + "{\"name\": \"Ann\", \"type\": \"person\", \"pos\": [10, 13]}]}]");
        for (GlinerJsonReader.PartialWords mode : GlinerJsonReader.PartialWords.values()) {
            LabelledSentence sentence = GlinerJsonReader.read(file, "t", mode).get(0);
            assertEquals(List.of(new GoldSpan(1, 1, "person"), new GoldSpan(3, 3, "person")), sentence.spans());
        }
    }

    @Test
    void entityOutsideTheSentenceIsAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.json");
        Files.writeString(file, "[{\"sentence\": \"a b\", \"entities\": [{\"type\": \"x\", \"pos\": [5, 9]}]}]");
        assertThrows(IllegalArgumentException.class, () -> GlinerJsonReader.read(file, "t"));
    }

    @Test
    void typesOfAPartiallyLabelledSentenceAreReadLowerCasedAndAbsentTypesMeanEveryType(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("test.json");
        Files.writeString(file, "[{\"sentence\": \"Bob met Ann\", \"entities\": ["
                + "{\"name\": \"Bob\", \"type\": \"Person\", \"pos\": [0, 3]}], \"types\": [\"PERSON\", \"city\", \"person\"]},"
                + "{\"sentence\": \"Ann\", \"entities\": [], \"types\": []},"
                + "{\"sentence\": \"Ann\", \"entities\": []}]");
        List<LabelledSentence> sentences = GlinerJsonReader.read(file, "t");
        assertEquals(Optional.of(List.of("person", "city")), sentences.get(0).annotatedTypes());
        assertEquals(Optional.of(List.of()), sentences.get(1).annotatedTypes());
        assertEquals(Optional.empty(), sentences.get(2).annotatedTypes());
    }

    @Test
    void badTypesListsAreErrorsNamingTheSentence(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.json");
        for (String types : List.of("\"person\"", "[\"person\", 3]", "[\" \"]", "[\"city\"]")) {
            Files.writeString(file, "[{\"sentence\": \"x\", \"entities\": []}, {\"sentence\": \"Bob\", \"entities\": ["
                    + "{\"name\": \"Bob\", \"type\": \"person\", \"pos\": [0, 3]}], \"types\": " + types + "}]");
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> GlinerJsonReader.read(file, "t"), types);
            assertTrue(error.getMessage().contains("sentence 1"), error.getMessage());
        }
    }

    @Test
    void readsTheSharedConllJsonWithItsLabels() {
        Path root = SharedData.require("ner/conll2003-gliner-json");
        assertEquals(List.of("location", "else", "organization", "person"),
                GlinerJsonReader.readLabels(root.resolve("labels.json")));
        List<LabelledSentence> test = GlinerJsonReader.read(root.resolve("test.json"), "conll");
        assertEquals(3453, test.size());
    }
}
