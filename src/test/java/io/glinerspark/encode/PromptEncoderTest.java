package io.glinerspark.encode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glinerspark.types.InvalidLabelsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class PromptEncoderTest {

    private static final long CLS = 101;
    private static final long SEP = 102;
    private static final long ENT = 30523;
    private static final long PROMPT_SEP = 30524;

    private static final Path TOKENIZER = Path.of(System.getProperty("gliner.repo.root", "."),
            "src/test/resources/fixtures/tokenizer.json");

    private static GlinerTokenizer tokenizer;
    private static PromptEncoder encoder;

    @BeforeAll
    static void load() {
        tokenizer = GlinerTokenizer.load(TOKENIZER);
        encoder = new PromptEncoder(tokenizer, "<<ENT>>", "<<SEP>>");
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static long id(String word) {
        long[] ids = tokenizer.encode(new String[]{word}).ids();
        assertEquals(3, ids.length, "'" + word + "' should be one WordPiece token");
        return ids[1];
    }

    @Test
    void promptThenWordsWithTokenizerSpecials() {
        EncodedText encoded = encoder.encode(List.of("person", "movie character"), List.of("My", "name", "is", "Bond"));
        long[] expected = {CLS, ENT, id("person"), ENT, id("movie"), id("character"), PROMPT_SEP,
                id("my"), id("name"), id("is"), id("bond"), SEP};
        assertArrayEquals(expected, encoded.inputIds());
        assertArrayEquals(new long[]{0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0}, encoded.wordsMask());
        assertEquals(4, encoded.numWords());
    }

    @Test
    void wordsMaskMarksOnlyTheFirstSubToken() {
        EncodedText encoded = encoder.encode(List.of("person"), List.of("Schwarzenegger", "won"));
        long[] mask = encoded.wordsMask();
        int first = 4; // [CLS] <<ENT>> person <<SEP>>
        assertEquals(1, mask[first]);
        int second = Arrays.stream(mask).boxed().toList().indexOf(2L);
        assertTrue(second > first + 1, "a multi-sub-token word has later sub-tokens without a mask entry");
        for (int i = first + 1; i < second; i++) {
            assertEquals(0, mask[i]);
        }
    }

    @Test
    void wordWithoutSubTokenKeepsLaterWordsAligned() {
        // U+200B is erased by BERT's normalizer: word 1 has no sub-token, word 2 must still be marked 3.
        EncodedText encoded = encoder.encode(List.of("person"), List.of("Alice", "\u200B", "Bob"));
        long[] marks = Arrays.stream(encoded.wordsMask()).filter(v -> v > 0).toArray();
        assertArrayEquals(new long[]{1, 3}, marks);
        assertEquals(3, encoded.numWords());
    }

    @Test
    void noTruncationOfLongInputs() {
        List<String> words = java.util.Collections.nCopies(1000, "word");
        EncodedText encoded = encoder.encode(List.of("person"), words);
        assertEquals(1000 + 5, encoded.length());
        assertEquals(1000, encoded.wordsMask()[encoded.length() - 2]);
    }

    @Test
    void labelsWithoutVisibleTextAreRejected() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(List.of("person", ""), List.of("x")));
        assertTrue(empty.getMessage().contains("''"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of("\u200B"), List.of("x")));
    }

    @Test
    void tokenCountsMatchTheEncoding() {
        int[] counts = tokenizer.tokenCounts(List.of("Schwarzenegger", "is", "\u200B"));
        assertEquals(0, counts[2]);
        assertEquals(1, counts[1]);
        assertTrue(counts[0] > 1);
        assertEquals(0, tokenizer.padId());
    }

    @Test
    void labelsSpellingAnAddedTokenAreRefusedNamingTheLabel() {
        for (String token : List.of("<<ENT>>", "<<SEP>>", "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "[FLERT]")) {
            for (String label : List.of(token, "person " + token + " x", "a" + token)) {
                InvalidLabelsException refused = assertThrows(InvalidLabelsException.class,
                        () -> encoder.encode(List.of("person", label), List.of("Alice")), label);
                assertTrue(refused.getMessage().contains("'" + label + "'") && refused.getMessage().contains(token),
                        refused.getMessage());
            }
        }
        // Only this tokenizer's added tokens are markers: another backbone's specials are ordinary text here.
        EncodedText plain = encoder.encode(List.of("<s>", "</s> tag", "[cls]"), List.of("Alice"));
        assertEquals(3, Arrays.stream(plain.inputIds()).filter(id -> id == ENT).count());
        // Characters the vocabulary lacks become [UNK] as ordinary text, which is no marker.
        EncodedText unknown = encoder.encode(List.of("\uD83D\uDE00"), List.of("Alice"));
        assertTrue(Arrays.stream(unknown.inputIds()).anyMatch(id -> id == 100), Arrays.toString(unknown.inputIds()));
    }

    @Test
    void aLabelTheNormalizerTurnsIntoAMarkerIsRefused(@TempDir Path temp) throws IOException {
        // Added tokens marked "normalized" match after the lower-casing normalizer, so '<<Ent>>' becomes <<ENT>>
        // without containing it literally.
        ObjectMapper json = new ObjectMapper();
        ObjectNode file = (ObjectNode) json.readTree(TOKENIZER.toFile());
        file.withArray("added_tokens").forEach(token -> ((ObjectNode) token).put("normalized", true));
        Path normalized = temp.resolve("tokenizer.json");
        json.writeValue(normalized.toFile(), file);
        try (GlinerTokenizer lowerCased = GlinerTokenizer.load(normalized)) {
            PromptEncoder prompts = new PromptEncoder(lowerCased, "<<ENT>>", "<<SEP>>");
            long[] ids = lowerCased.encode(new String[]{"<<Ent>>"}).ids();
            assertEquals(ENT, ids[1], "the variant tokenizer reads the label as the marker");
            for (String label : List.of("<<Ent>>", "x <<sep>>", "[mask]")) {
                InvalidLabelsException refused = assertThrows(InvalidLabelsException.class,
                        () -> prompts.encode(List.of(label), List.of("Alice")), label);
                assertTrue(refused.getMessage().contains("'" + label + "'"), refused.getMessage());
            }
            assertEquals(1, Arrays.stream(prompts.encode(List.of("person"), List.of("Alice")).inputIds())
                    .filter(id -> id == ENT).count());
        }
    }

    @Test
    void anAddedRunOfWhitespaceIsTextNotAMarker(@TempDir Path temp) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode file = (ObjectNode) json.readTree(TOKENIZER.toFile());
        file.withArray("added_tokens").addObject().put("id", 30525).put("content", "  ").put("single_word", false)
                .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", false);
        Path spaced = temp.resolve("tokenizer.json");
        json.writeValue(spaced.toFile(), file);
        try (GlinerTokenizer withSpaces = GlinerTokenizer.load(spaced)) {
            PromptEncoder prompts = new PromptEncoder(withSpaces, "<<ENT>>", "<<SEP>>");
            long[] ids = prompts.encode(List.of("movie  character"), List.of("Alice")).inputIds();
            assertTrue(Arrays.stream(ids).anyMatch(id -> id == 30525), "the run is its added token: "
                    + Arrays.toString(ids));
            assertThrows(InvalidLabelsException.class, () -> prompts.encode(List.of("x <<SEP>>"), List.of("Alice")));
        }
    }

    @Test
    void aTextWordReadAsTheClassMarkerIsThatTextsErrorNotALabelError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(List.of("person"), List.of("Alice", "<<ENT>>", "Bob")));
        assertFalse(error instanceof InvalidLabelsException, error.toString());
        assertTrue(error.getMessage().contains("2 label slots for 1"), error.getMessage());
        // Other specials in a text change no label slot and encode as before.
        assertEquals(4, encoder.encode(List.of("person"), List.of("Alice", "[SEP]", "<<SEP>>", "Bob")).numWords());
    }
}
