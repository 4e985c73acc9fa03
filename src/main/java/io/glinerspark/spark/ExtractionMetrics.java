package io.glinerspark.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.util.LinkedHashMap;
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
    private final LongAccumulator entities;
    private final LongAccumulator errorRows;
    private final LongAccumulator ortNanos;

    private ExtractionMetrics(SparkContext context, String prefix) {
        documents = context.longAccumulator(prefix + "documents");
        chunkedDocuments = context.longAccumulator(prefix + "chunked documents");
        oversizedWords = context.longAccumulator(prefix + "oversized words");
        entities = context.longAccumulator(prefix + "entities");
        errorRows = context.longAccumulator(prefix + "rows with errors");
        ortNanos = context.longAccumulator(prefix + "ONNX Runtime ns");
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

    void addEntities(long n) {
        entities.add(n);
    }

    void addErrorRows(long n) {
        errorRows.add(n);
    }

    void addOrtNanos(long n) {
        ortNanos.add(n);
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

    /** All counters by display name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("documents", documents());
        values.put("chunked documents", chunkedDocuments());
        values.put("oversized words", oversizedWords());
        values.put("entities", entities());
        values.put("rows with errors", errorRows());
        values.put("ONNX Runtime ms", ortMillis());
        return values;
    }
}
