package io.glinerspark.dataset;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class ConllReaderTest {

    private static List<GoldSpan> decode(String... tags) {
        return ConllReader.decode(List.of(tags), Map.of());
    }

    @Test
    void iob1StartsSpansAtInsideTagsAndSplitsAdjacentOnesAtB() {
        assertEquals(List.of(new GoldSpan(0, 1, "per"), new GoldSpan(2, 2, "per"), new GoldSpan(4, 4, "loc")),
                decode("I-PER", "I-PER", "B-PER", "O", "I-LOC"));
    }

    @Test
    void iob2AndTypeChanges() {
        assertEquals(List.of(new GoldSpan(0, 1, "org"), new GoldSpan(2, 2, "loc")), decode("B-ORG", "I-ORG", "I-LOC"));
    }

    @Test
    void bioes() {
        assertEquals(List.of(new GoldSpan(0, 2, "gene"), new GoldSpan(3, 3, "gene"), new GoldSpan(4, 4, "x")),
                decode("B-gene", "I-gene", "E-gene", "S-gene", "S-x", "O"));
    }

    @Test
    void readsColumnsDocstartAndNumberedTokens(@TempDir Path dir) throws Exception {
        Path conll = dir.resolve("a.conll");
        Files.writeString(conll, "-DOCSTART- -X- O O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\n\nPeter NNP B-NP I-PER\n");
        List<LabelledSentence> sentences = ConllReader.read(conll, "d", Map.of("PER", "person"));
        assertEquals(2, sentences.size());
        assertEquals(List.of("EU", "rejects"), sentences.get(0).words());
        assertEquals(List.of(new GoldSpan(0, 0, "org")), sentences.get(0).spans());
        assertEquals(List.of(new GoldSpan(0, 0, "person")), sentences.get(1).spans());

        Path wikiann = dir.resolve("w.tsv");
        Files.writeString(wikiann, "0\tParis\tB-LOC\n1\tis\tO\n");
        assertEquals(List.of("Paris", "is"), ConllReader.read(wikiann, "w", Map.of()).get(0).words());
    }

    @Test
    void numericTokensOfFourColumnFilesStayTokens(@TempDir Path dir) throws Exception {
        Path conll = dir.resolve("numbers.conll");
        Files.writeString(conll, "1996 CD I-NP O\n42 CD I-NP O\nReuters NNP I-NP I-ORG\n\n0 CD B-NP O\n");
        List<LabelledSentence> sentences = ConllReader.read(conll, "d", Map.of());
        assertEquals(List.of("1996", "42", "Reuters"), sentences.get(0).words());
        assertEquals(List.of("0"), sentences.get(1).words());
    }

    @Test
    void blankTokenOfATabSeparatedFileIsKept(@TempDir Path dir) throws Exception {
        Path conll = dir.resolve("blank.conll");
        Files.writeString(conll, "Hi\tO\n \tO\nBob\tB-PER\n");
        LabelledSentence sentence = ConllReader.read(conll, "d", Map.of()).get(0);
        assertEquals(List.of("Hi", " ", "Bob"), sentence.words());
        assertEquals(List.of(new GoldSpan(2, 2, "per")), sentence.spans());
    }

    @Test
    void malformedLineNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.conll");
        Files.writeString(bad, "EU B-ORG\nlonely\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConllReader.read(bad, "d", Map.of()));
        assertTrue(e.getMessage().contains("bad.conll:2"), e.getMessage());
    }
}
