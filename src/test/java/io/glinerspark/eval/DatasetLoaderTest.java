package io.glinerspark.eval;

import io.glinerspark.SharedData;
import io.glinerspark.dataset.GoldSpan;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
public class DatasetLoaderTest {

    @TempDir
    Path dir;

    private static final String TWO_SENTENCES = """
            [{"sentence": "Alice met Bob in Paris", "entities": [
               {"name": "Alice", "type": "PERSON", "pos": [0, 5]},
               {"name": "Paris", "type": "Location", "pos": [17, 22]}]},
             {"sentence": "Google", "entities": [{"name": "Google", "type": "organization", "pos": [0, 6]}]}]
            """;

    public static Path glinerDataset(Path folder, String split, String sentences, String labels) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(split + ".json"), sentences);
        Files.writeString(folder.resolve("labels.json"), labels);
        return folder;
    }

    private static DatasetLoader loader() {
        return new DatasetLoader("test", Map.of(), false, 0);
    }

    @Test
    void everyLabelOfLabelsJsonIsAPromptLowerCasedInFileOrder() throws IOException {
        Path folder = glinerDataset(dir.resolve("mini"), "test", TWO_SENTENCES,
                "[\"Person\", \"location\", \"ORGANIZATION\", \"person\", \"date\"]");
        EvaluationDataset dataset = loader().load(folder).get(0);
        assertEquals("mini", dataset.name());
        assertEquals(List.of("person", "location", "organization", "date"), dataset.labels());
        assertEquals(List.of(new GoldSpan(0, 0, "person"), new GoldSpan(4, 4, "location")),
                dataset.sentences().get(0).spans());
        assertFalse(dataset.nested());
    }

    @Test
    void conll2003JsonGoldMatchesTheReferenceCountsPerLabel() {
        // the reference's process() + per-sentence sets give these counts on the shared test split: 5,648 entities,
        // 10 of which cut through a word (e.g. "Australia" in "Australian") and can never be predicted
        Path conll = SharedData.require("ner/conll2003-gliner-json");
        EvaluationDataset dataset = loader().load(conll).get(0);
        Map<String, Long> perLabel = new LinkedHashMap<>();
        long unmatchable = 0;
        for (var sentence : dataset.sentences()) {
            Map<String, MatchCounts> counts = SpanMatcher.match(sentence.spans(), List.of());
            counts.forEach((label, c) -> perLabel.merge(label, c.gold(), Long::sum));
            unmatchable += sentence.spans().stream().filter(s -> s.start() < 0 || s.end() < 0).count();
        }
        assertEquals(Map.of("person", 1617L, "location", 1668L, "else", 702L, "organization", 1661L), perLabel);
        assertEquals(10, unmatchable);
    }

    @Test
    void nestedDecodingByNameIsTheReferenceCaseSensitiveSubstringTest() {
        assertTrue(EvaluationDataset.nestedByName("ACE 2004"));
        assertTrue(EvaluationDataset.nestedByName("GENIA_NER"));
        assertTrue(EvaluationDataset.nestedByName("Broad Tweet Corpus"));
        assertFalse(EvaluationDataset.nestedByName("genia"));
        assertFalse(EvaluationDataset.nestedByName("corpus"));
        assertFalse(EvaluationDataset.nestedByName("Ace"));
        assertFalse(EvaluationDataset.nestedByName("CoNLL 2003"));
    }

    @Test
    void aFolderOfDatasetsIsReadInNameOrderWithTheNestedRulePerDataset() throws IOException {
        glinerDataset(dir.resolve("b-flat"), "test", TWO_SENTENCES, "[\"person\"]");
        glinerDataset(dir.resolve("a-GENIA"), "test", TWO_SENTENCES, "[\"person\"]");
        Files.createDirectories(dir.resolve("notes"));
        glinerDataset(dir.resolve("c-no-test-split"), "train", TWO_SENTENCES, "[\"person\"]");
        List<EvaluationDataset> datasets = loader().load(dir);
        assertEquals(List.of("a-GENIA", "b-flat"), datasets.stream().map(EvaluationDataset::name).toList());
        assertTrue(datasets.get(0).nested());
        assertFalse(datasets.get(1).nested());
    }

    @Test
    void nestedOptionAppliesToEveryDataset() throws IOException {
        Path folder = glinerDataset(dir.resolve("flat-name"), "test", TWO_SENTENCES, "[\"person\"]");
        assertTrue(new DatasetLoader("test", Map.of(), true, 0).load(folder).get(0).nested());
    }

    @Test
    void splitSelectsTheFileAndLimitKeepsTheFirstSentences() throws IOException {
        Path folder = glinerDataset(dir.resolve("d"), "dev", TWO_SENTENCES, "[\"person\"]");
        EvaluationDataset dataset = new DatasetLoader("dev", Map.of(), false, 1).load(folder).get(0);
        assertEquals(1, dataset.sentences().size());
        assertEquals(List.of("Alice", "met", "Bob", "in", "Paris"), dataset.sentences().get(0).words());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> loader().load(folder));
        assertTrue(missing.getMessage().contains("test.json"), missing.getMessage());
    }

    @Test
    void aSentenceTypeOutsideLabelsJsonIsAnErrorNamingTheSentence() throws IOException {
        Path folder = glinerDataset(dir.resolve("p"), "test", "[{\"sentence\": \"Bob\", \"entities\": [], "
                + "\"types\": [\"person\"]}, {\"sentence\": \"Bob\", \"entities\": [], \"types\": [\"city\"]}]",
                "[\"person\"]");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> loader().load(folder));
        assertTrue(error.getMessage().contains("sentence 1") && error.getMessage().contains("city"), error.getMessage());
    }

    @Test
    void conllPromptsAreTheMappedNamesInMapOrderThenUnmappedTypes() throws IOException {
        Path file = dir.resolve("tiny.conll");
        Files.writeString(file, """
                -DOCSTART- O

                Alice B-PER
                visited O
                Paris B-LOC
                with O
                the B-MISC
                Reds I-MISC

                """);
        Map<String, String> map = new LinkedHashMap<>();
        map.put("PER", "Person");
        map.put("ORG", "organization");
        map.put("LOC", "location");
        EvaluationDataset dataset = new DatasetLoader("test", map, false, 0).load(file).get(0);
        assertEquals("tiny.conll", dataset.name());
        assertEquals(List.of("person", "organization", "location", "misc"), dataset.labels());
        assertEquals(List.of(new GoldSpan(0, 0, "person"), new GoldSpan(2, 2, "location"), new GoldSpan(4, 5, "misc")),
                dataset.sentences().get(0).spans());
    }

    @Test
    void conllWithoutMapPromptsTheLowerCasedTypesSorted() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "Alice\tB-PER\nParis\tB-LOC\n");
        Files.writeString(dir.resolve("b.txt"), "Google\tS-ORG\n");
        List<EvaluationDataset> datasets = loader().load(dir);
        assertEquals(List.of("a.txt", "b.txt"), datasets.stream().map(EvaluationDataset::name).toList());
        assertEquals(List.of("loc", "per"), datasets.get(0).labels());
        assertEquals(List.of("org"), datasets.get(1).labels());
    }

    @Test
    void badInputsFailNamingWhatIsWrong() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> loader().load(dir.resolve("absent")));
        assertTrue(missing.getMessage().contains("absent"));

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> loader().load(dir));
        assertTrue(empty.getMessage().contains("no dataset"), empty.getMessage());

        Path json = glinerDataset(dir.resolve("j"), "test", TWO_SENTENCES, "[\"person\"]");
        IllegalArgumentException jsonFile = assertThrows(IllegalArgumentException.class,
                () -> loader().load(json.resolve("test.json")));
        assertTrue(jsonFile.getMessage().contains("dataset folder"), jsonFile.getMessage());
        assertEquals("j", loader().load(json.resolve("../j/.")).get(0).name());

        IllegalArgumentException mapOnJson = assertThrows(IllegalArgumentException.class,
                () -> new DatasetLoader("test", Map.of("PER", "person"), false, 0).load(json));
        assertTrue(mapOnJson.getMessage().contains("labels.json"), mapOnJson.getMessage());

        Path blank = glinerDataset(dir.resolve("blank"), "test", TWO_SENTENCES, "[\"person\", \" \"]");
        IllegalArgumentException blankLabel = assertThrows(IllegalArgumentException.class, () -> loader().load(blank));
        assertTrue(blankLabel.getMessage().contains("labels.json"), blankLabel.getMessage());

        Path noTypes = dir.resolve("plain.conll");
        Files.writeString(noTypes, "just O\nwords O\n");
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class, () -> loader().load(noTypes));
        assertTrue(nothing.getMessage().contains("plain.conll"), nothing.getMessage());
    }
}
