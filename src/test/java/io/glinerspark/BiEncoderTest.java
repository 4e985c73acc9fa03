package io.glinerspark;

import io.glinerspark.source.BundleFingerprint;
import io.glinerspark.types.Entity;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;
import io.glinerspark.types.ModelLoadException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.glinerspark.Fixtures.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bi-encoder models on the {@code span_bi} fixture, whose label encoder turns a label into the one-hot vector of the
 * span fixture's label it names: the texts carry no prompt, the labels are embedded once each and kept, and a list of
 * any size runs in one piece. The fixture scores a (word, label) pair exactly as the uni-encoder {@code span} fixture
 * does, so both must give the same entities.
 */
@Tag("core")
class BiEncoderTest {

    private static final ExtractionOptions DEFAULTS = ExtractionOptions.defaults();
    private static final List<String> TEXTS = List.of("Alice in New York", "john smith met bob in london and paris",
            "Google and Bank of America", "nothing", "");

    private static GlinerModel bi;
    private static GlinerModel uni;

    @BeforeAll
    static void load() {
        bi = GlinerModel.load(Fixtures.options("span_bi"));
        uni = GlinerModel.load(Fixtures.options("span"));
    }

    @AfterAll
    static void close() {
        bi.close();
        uni.close();
    }

    @Test
    void findsWhatTheUniEncoderFindsWithTheSameScores() {
        List<String> labels = List.of("person", "location", "city", "organization");
        for (ExtractionOptions options : List.of(DEFAULTS, DEFAULTS.withFlatNer(false),
                DEFAULTS.withFlatNer(false).withMultiLabel(true), DEFAULTS.withThreshold(0.1f))) {
            assertEquals(uni.extract(TEXTS, labels, options), bi.extract(TEXTS, labels, options), options.toString());
        }
        assertEquals(List.of(new Entity("Alice", "person", 0, 5, p(3), 0, 0),
                new Entity("New York", "location", 9, 17, p(3), 2, 3)), bi.extract(TEXTS, labels, DEFAULTS).get(0));
    }

    @Test
    void aThousandLabelsRunInOnePieceAndEachIsEncodedOnce() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add("label" + i);
        }
        many.set(7, "person");
        many.set(500, "city");
        many.set(999, "location");
        ExtractionStats stats = new ExtractionStats();
        List<ExtractionResult> results = bi.extractEach(TEXTS, many, DEFAULTS, stats);
        assertEquals(0, stats.splitLabelCalls(), stats.toString());
        // one window per text with words: the labels take no room beside the text
        assertEquals(4, stats.windows(), stats.toString());
        assertEquals(bi.extractEach(TEXTS, List.of("person", "city", "location"), DEFAULTS, new ExtractionStats()),
                results);
        // the fillers were new to the model (the fixture's labels may have been met before)
        assertTrue(stats.labelsEncoded() >= 997 && stats.labelsEncoded() <= 1000, stats.toString());

        // the same list again, and a per-row list drawn from it: every vector is kept, none encoded again
        ExtractionStats again = new ExtractionStats();
        assertEquals(results, bi.extractEach(TEXTS, many, DEFAULTS, again));
        bi.extractEach(TEXTS, List.of("label3", "person"), DEFAULTS, again);
        assertEquals(0, again.labelsEncoded(), again.toString());

        // the uni-encoder must split the same list into slices, which is what the bi-encoder avoids
        ExtractionStats uniStats = new ExtractionStats();
        uni.extractEach(TEXTS, many, DEFAULTS, uniStats);
        assertEquals(1, uniStats.splitLabelCalls());
    }

    @Test
    void aDescriptionIsEncodedInPlaceOfItsLabelAndTheEntitiesKeepTheLabel() {
        // "human" alone is no fixture label (background everywhere); described as "person" it finds people
        LabelSet described = LabelSet.of(List.of("human", "place"), Map.of("human", "person", "place", "location"));
        assertEquals(List.of(new Entity("Alice", "human", 0, 5, p(3), 0, 0),
                        new Entity("New York", "place", 9, 17, p(3), 2, 3)),
                bi.extract(TEXTS.subList(0, 1), described, DEFAULTS).get(0));
        assertEquals(List.of(), bi.extract(TEXTS.subList(0, 1), List.of("human", "place"), DEFAULTS).get(0));
    }

    @Test
    void unusableLabelsAreRefusedNamingTheLabel() {
        InvalidLabelsException blank = assertThrows(InvalidLabelsException.class,
                () -> bi.extract(TEXTS, List.of("person", " "), DEFAULTS));
        assertTrue(blank.getMessage().contains("visible text"), blank.getMessage());
        // the fixture's label encoder holds 16 positions, [CLS] and [SEP] included
        String longLabel = "a b c d e f g h i j k l m n o";
        InvalidLabelsException tooLong = assertThrows(InvalidLabelsException.class,
                () -> bi.checkLabels(List.of("person", longLabel)));
        assertTrue(tooLong.getMessage().contains(longLabel) && tooLong.getMessage().contains("17 sub-tokens")
                && tooLong.getMessage().contains("16 positions"), tooLong.getMessage());
        bi.checkLabels(List.of("person", "a b c d e f g h i j k l m n"));
    }

    @Test
    void aBiEncoderBundleWithoutItsLabelEncoderIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        for (String missing : List.of("labels_encoder.onnx", "labels_tokenizer.json")) {
            Path copy = dir.resolve(missing.replace('.', '_'));
            Files.createDirectories(copy);
            try (Stream<Path> files = Files.list(Fixtures.bundle("span_bi"))) {
                for (Path file : files.toList()) {
                    if (!file.getFileName().toString().equals(missing)) {
                        Files.copy(file, copy.resolve(file.getFileName()));
                    }
                }
            }
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> GlinerModel.load(
                    ModelOptions.defaults().withSource(copy.toString()).withIntraOpThreads(1)));
            assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("bi-encoder"), e.getMessage());
        }
    }

    @Test
    void theFingerprintCoversTheLabelEncoder(@TempDir Path dir) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("bundle"));
        try (Stream<Path> files = Files.list(Fixtures.bundle("span_bi"))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        String before = BundleFingerprint.of(copy, "auto");
        Files.write(copy.resolve("labels_encoder.onnx"), new byte[] {1}, StandardOpenOption.APPEND);
        assertNotEquals(before, BundleFingerprint.of(copy, "auto"),
                "a changed label encoder must change the model's fingerprint");
    }
}
