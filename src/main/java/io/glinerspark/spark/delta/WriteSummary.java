package io.glinerspark.spark.delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What writes of an {@link EntityTableWriter} stored, counted from the written batches themselves (never by
 * scanning the tables again, which grow with every run).
 *
 * @param documents        results written (one per document and text column), failed ones included
 * @param failed           of those, the results with an error
 * @param entitiesPerLabel entity rows written, per label
 * @param firstErrors      up to {@link #ERRORS_KEPT} failed results, as {@code doc_id: error}
 * @param resultSeconds    spent computing the batches (for an extraction pipeline, extracting), on the driver's clock
 * @param deltaSeconds     spent writing them into Delta, checks included
 */
public record WriteSummary(long documents, long failed, Map<String, Long> entitiesPerLabel, List<String> firstErrors,
                           double resultSeconds, double deltaSeconds) {

    /** Failed results a summary names. */
    public static final int ERRORS_KEPT = 3;

    /** Nothing written. */
    public static final WriteSummary NONE = new WriteSummary(0, 0, Map.of(), List.of(), 0, 0);

    public WriteSummary {
        entitiesPerLabel = Map.copyOf(entitiesPerLabel);
        firstErrors = List.copyOf(firstErrors.subList(0, Math.min(ERRORS_KEPT, firstErrors.size())));
    }

    /** Entity rows written. */
    public long entities() {
        return entitiesPerLabel.values().stream().mapToLong(Long::longValue).sum();
    }

    /** This summary and {@code other} together. */
    public WriteSummary plus(WriteSummary other) {
        Map<String, Long> perLabel = new TreeMap<>(entitiesPerLabel);
        other.entitiesPerLabel.forEach((label, count) -> perLabel.merge(label, count, Long::sum));
        List<String> errors = new ArrayList<>(firstErrors);
        errors.addAll(other.firstErrors);
        return new WriteSummary(documents + other.documents, failed + other.failed, perLabel, errors,
                resultSeconds + other.resultSeconds, deltaSeconds + other.deltaSeconds);
    }

    /** This summary with the time spent. */
    WriteSummary timed(double resultSeconds, double deltaSeconds) {
        return new WriteSummary(documents, failed, entitiesPerLabel, firstErrors, resultSeconds, deltaSeconds);
    }
}
