package io.glinerspark.spark.task;

import io.glinerspark.ModelInfo;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Progress counters of an extraction, as named Spark accumulators (they show in the Spark UI while a job runs).
 * Counted where the rows are extracted, so a retried task or a recomputed partition counts again: read them as
 * progress, and count the written tables for exact figures.
 */
public final class ExtractionMetrics implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LongAccumulator documents;
    private final LongAccumulator chunkedDocuments;
    private final LongAccumulator oversizedWords;
    private final LongAccumulator labelsEncoded;
    private final LongAccumulator entities;
    private final LongAccumulator errorRows;
    private final LongAccumulator ortNanos;
    private final ExecutorDevices devices = new ExecutorDevices();

    private ExtractionMetrics(SparkContext context, String prefix) {
        documents = context.longAccumulator(prefix + "documents");
        chunkedDocuments = context.longAccumulator(prefix + "chunked documents");
        oversizedWords = context.longAccumulator(prefix + "oversized words");
        labelsEncoded = context.longAccumulator(prefix + "labels encoded on executors");
        entities = context.longAccumulator(prefix + "entities");
        errorRows = context.longAccumulator(prefix + "rows with errors");
        ortNanos = context.longAccumulator(prefix + "ONNX Runtime ns");
        context.register(devices, prefix + "executor devices");
    }

    /** Registers a fresh set of accumulators named {@code gliner: documents}, ... */
    public static ExtractionMetrics register(SparkContext context) {
        return new ExtractionMetrics(context, "gliner: ");
    }

    void addDocuments(long n) {
        documents.add(n);
    }

    void addChunkedDocuments(long n) {
        chunkedDocuments.add(n);
    }

    void addOversizedWords(long n) {
        oversizedWords.add(n);
    }

    void addLabelsEncoded(long n) {
        labelsEncoded.add(n);
    }

    void addEntities(long n) {
        entities.add(n);
    }

    void addErrorRows(long n) {
        errorRows.add(n);
    }

    void addOrtNanos(long n) {
        ortNanos.add(n);
    }

    /** Counts a task that extracts with {@code model}, on this executor. */
    void addTask(ModelInfo model) {
        devices.add(ExecutorDevices.Use.current(model));
    }

    /** Texts extracted (non-NULL text values; a row with two text columns counts twice). */
    public long documents() {
        return documents.value();
    }

    /** Texts longer than one model window. */
    public long chunkedDocuments() {
        return chunkedDocuments.value();
    }

    /** Words left out of every window: their sub-tokens alone exceed a window (they cannot be entities). */
    public long oversizedWords() {
        return oversizedWords.value();
    }

    /**
     * Labels a bi-encoder's executors encoded themselves: per-row label lists they had no vector for yet. A job's one
     * label list is encoded on the driver and counts nothing here.
     */
    public long labelsEncoded() {
        return labelsEncoded.value();
    }

    /** Entities found. */
    public long entities() {
        return entities.value();
    }

    /** Rows that got an error instead of entities. */
    public long errorRows() {
        return errorRows.value();
    }

    /** Time spent inside ONNX Runtime, summed over tasks. */
    public long ortMillis() {
        return ortNanos.value() / 1_000_000;
    }

    /** Tasks whose model runs on the CPU although a GPU was asked for. */
    public long fallbackTasks() {
        return devices.value().entrySet().stream().filter(e -> e.getKey().fallbackReason() != null)
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * One line per executor and device: where its model runs, how many tasks ran there and, after a fallback, why;
     * then how many tasks ran on a fallback device when any did.
     */
    public List<String> deviceReport() {
        Map<ExecutorDevices.Use, Long> tasks = devices.value();
        List<String> lines = new ArrayList<>();
        long total = 0;
        for (Map.Entry<ExecutorDevices.Use, Long> entry : tasks.entrySet()) {
            ExecutorDevices.Use use = entry.getKey();
            total += entry.getValue();
            lines.add("executor " + use.executor() + " on " + use.host() + ": " + use.device().toUpperCase(Locale.ROOT)
                    + ", " + entry.getValue() + (entry.getValue() == 1 ? " task" : " tasks")
                    + (use.fallbackReason() == null ? "" : ", FALLBACK from " + use.fallbackReason()));
        }
        long fallback = fallbackTasks();
        if (fallback > 0) {
            lines.add(fallback + " of " + total + " tasks ran on a fallback device");
        }
        return lines;
    }

    /** All counters by display name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("documents", documents());
        values.put("chunked documents", chunkedDocuments());
        values.put("oversized words", oversizedWords());
        values.put("labels encoded on executors", labelsEncoded());
        values.put("entities", entities());
        values.put("rows with errors", errorRows());
        values.put("ONNX Runtime ms", ortMillis());
        values.put("tasks on a fallback device", fallbackTasks());
        return values;
    }
}
