package io.glinerspark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class EvaluationReportTest {

    private static DatasetScore score(String name, Map<String, MatchCounts> labels) {
        return new DatasetScore(name, false, 10, labels);
    }

    @Test
    void averageIsThePlainMeanOfDatasetF1NotAPooledScore() {
        DatasetScore small = score("small", Map.of("person", new MatchCounts(1, 1, 1)));      // F1 1.0
        DatasetScore big = score("big", Map.of("person", new MatchCounts(100, 100, 0)));      // F1 0.0
        EvaluationReport report = new EvaluationReport("m", 0.5, List.of(small, big));
        assertEquals(0.5, report.averageF1(), 1e-15);
    }

    @Test
    void datasetScoreIsMicroOverLabelsNotTheMeanOfLabelF1() {
        Map<String, MatchCounts> labels = new LinkedHashMap<>();
        labels.put("person", new MatchCounts(3, 1, 1));   // F1 0.5
        labels.put("location", new MatchCounts(1, 1, 1)); // F1 1.0: a macro mean would give 0.75
        DatasetScore dataset = score("d", labels);
        assertEquals(new MatchCounts(4, 2, 2), dataset.total());
        assertEquals(2.0 / 3, dataset.total().f1(), 1e-15); // P 1, R 0.5
    }

    @Test
    void jsonLineHasTheAgreedShape() throws Exception {
        Map<String, MatchCounts> labels = new LinkedHashMap<>();
        labels.put("person", new MatchCounts(2, 1, 1));
        labels.put("location", MatchCounts.ZERO);
        EvaluationReport report = new EvaluationReport("/models/x", 0.5,
                List.of(score("conll", labels), new DatasetScore("GENIA", true, 3, Map.of())));
        String line = report.toJsonLine();
        assertFalse(line.contains("\n"));
        JsonNode root = new ObjectMapper().readTree(line);
        assertEquals(List.of("model", "threshold", "datasets", "average_f1"), fieldNames(root));
        assertEquals("/models/x", root.get("model").asText());
        assertEquals(0.5, root.get("threshold").asDouble());
        JsonNode conll = root.get("datasets").get(0);
        assertEquals(List.of("name", "precision", "recall", "f1", "gold", "predicted", "correct", "nested",
                "sentences", "labels"), fieldNames(conll));
        assertEquals("conll", conll.get("name").asText());
        assertEquals(1.0, conll.get("precision").asDouble());
        assertEquals(0.5, conll.get("recall").asDouble());
        assertEquals(2.0 / 3, conll.get("f1").asDouble(), 1e-15);
        assertEquals(2, conll.get("gold").asLong());
        assertEquals(1, conll.get("predicted").asLong());
        assertEquals(1, conll.get("correct").asLong());
        assertEquals(List.of("person", "location"), fieldNames(conll.get("labels")));
        assertEquals(List.of("precision", "recall", "f1", "gold", "predicted", "correct"),
                fieldNames(conll.get("labels").get("person")));
        assertEquals(0.0, conll.get("labels").get("location").get("f1").asDouble());
        assertTrue(root.get("datasets").get(1).get("nested").asBoolean());
        assertEquals((2.0 / 3 + 0.0) / 2, root.get("average_f1").asDouble(), 1e-15);
    }

    @Test
    void tableNamesEveryDatasetAndLabel() {
        EvaluationReport report = new EvaluationReport("m", 0.5, List.of(
                score("wnut", Map.of("person", new MatchCounts(4, 2, 1))),
                new DatasetScore("ACE05", true, 1, Map.of())));
        String table = report.toTable();
        assertTrue(table.contains("wnut"));
        assertTrue(table.contains("  person"));
        assertTrue(table.contains("ACE05 (nested)"));
        assertTrue(table.contains("50.00%"));     // precision 1/2
        assertTrue(table.contains("33.33%"));     // F1 of P 0.5, R 0.25
        assertTrue(table.lines().reduce((a, b) -> b).orElseThrow().startsWith("average"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
