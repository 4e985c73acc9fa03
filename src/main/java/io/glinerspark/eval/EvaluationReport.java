package io.glinerspark.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of one evaluation run: a score per dataset and their average F1.
 *
 * @param model     the model source as given
 * @param threshold the probability threshold used
 * @param datasets  one score per dataset, in evaluation order
 */
public record EvaluationReport(String model, double threshold, List<DatasetScore> datasets) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public EvaluationReport {
        datasets = List.copyOf(datasets);
    }

    /** The plain mean of the per-dataset F1 scores, as the reference averages benchmarks (0 with no dataset). */
    public double averageF1() {
        return datasets.stream().mapToDouble(d -> d.total().f1()).average().orElse(0.0);
    }

    /** The machine-readable result: one line of JSON, no trailing newline. */
    public String toJsonLine() {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        root.put("threshold", threshold);
        ArrayNode datasetNodes = root.putArray("datasets");
        for (DatasetScore dataset : datasets) {
            ObjectNode node = datasetNodes.addObject();
            node.put("name", dataset.name());
            putCounts(node, dataset.total());
            node.put("nested", dataset.nested());
            node.put("sentences", dataset.sentences());
            ObjectNode labels = node.putObject("labels");
            dataset.labels().forEach((label, counts) -> putCounts(labels.putObject(label), counts));
        }
        root.put("average_f1", averageF1());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putCounts(ObjectNode node, MatchCounts counts) {
        node.put("precision", counts.precision());
        node.put("recall", counts.recall());
        node.put("f1", counts.f1());
        node.put("gold", counts.gold());
        node.put("predicted", counts.predicted());
        node.put("correct", counts.correct());
    }

    /** A human-readable table: a row per dataset, its labels indented below, the average last. */
    public String toTable() {
        int nameWidth = "average".length();
        for (DatasetScore dataset : datasets) {
            nameWidth = Math.max(nameWidth, rowName(dataset).length());
            for (String label : dataset.labels().keySet()) {
                nameWidth = Math.max(nameWidth, label.length() + 2);
            }
        }
        String format = "%-" + nameWidth + "s %9s %9s %9s %8s %8s %8s%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "model %s, threshold %s%n", model, threshold));
        table.append(String.format(Locale.ROOT, format, "dataset", "precision", "recall", "f1", "gold", "pred", "correct"));
        for (DatasetScore dataset : datasets) {
            appendRow(table, format, rowName(dataset), dataset.total());
            for (Map.Entry<String, MatchCounts> label : dataset.labels().entrySet()) {
                appendRow(table, format, "  " + label.getKey(), label.getValue());
            }
        }
        table.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %29s%n", "average",
                percent(averageF1())));
        return table.toString();
    }

    private static String rowName(DatasetScore dataset) {
        return dataset.name() + (dataset.nested() ? " (nested)" : "");
    }

    private static void appendRow(StringBuilder table, String format, String name, MatchCounts counts) {
        table.append(String.format(Locale.ROOT, format, name, percent(counts.precision()), percent(counts.recall()),
                percent(counts.f1()), counts.gold(), counts.predicted(), counts.correct()));
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * value);
    }
}
