package io.glinerspark.spark.task;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;
import org.apache.spark.TaskContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How every kind of row is extracted in a task: the model comes from the job's {@link JobModel} (shipped,
 * fingerprint-checked, on the task's device), the partition is read block by block ({@link BlockIterator}) and each
 * block goes to one {@link RowBlockExtractor} per call. A "call" is one extraction with its own options asked of
 * every row (the SQL function may appear several times in one query; an evaluation asks each dataset with its own
 * decoding); a row asks a call nothing by giving it no request.
 *
 * <p>What differs between row kinds (Spark rows, Catalyst internal rows, evaluation sentences) is only how a row
 * becomes requests and how its results become an output row: that is the {@link RowAdapter}.
 */
public final class PartitionExtraction implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * One kind of row, as the core sees it. Made inside the task, so it may hold what is not serialisable.
     *
     * @param <I> input row type
     * @param <O> output row type
     */
    public interface RowAdapter<I, O> {

        /** The row's request of each call, in call order; a null request asks nothing of that call. */
        List<RowBlockExtractor.Request> requests(I row);

        /**
         * The output row of {@code row}.
         *
         * @param results        the result of each call, null where the row asked nothing of it
         * @param rowInPartition the row's index in its partition, for messages
         */
        O output(I row, List<RowBlockExtractor.Result> results, long rowInPartition);
    }

    private final JobModel model;
    private final List<ExtractionOptions> callOptions;
    private final boolean sharedLabels;
    private final int rowsPerBlock;
    private final ExtractionMetrics metrics;

    /**
     * @param callOptions  the decoding of each call, in call order
     * @param sharedLabels true when every row carries the job's one label list, which the driver checked: a rejection
     *                     of it fails the task instead of the row
     * @param metrics      counters (the task once, the rows of every call), or null
     */
    public PartitionExtraction(JobModel model, List<ExtractionOptions> callOptions, boolean sharedLabels,
                               int rowsPerBlock, ExtractionMetrics metrics) {
        if (callOptions.isEmpty()) {
            throw new IllegalArgumentException("at least one call is needed");
        }
        if (rowsPerBlock <= 0) {
            throw new IllegalArgumentException("rows per block must be > 0, got " + rowsPerBlock);
        }
        this.model = Objects.requireNonNull(model, "model");
        this.callOptions = List.copyOf(callOptions);
        this.sharedLabels = sharedLabels;
        this.rowsPerBlock = rowsPerBlock;
        this.metrics = metrics;
    }

    /** The job's model. */
    public JobModel model() {
        return model;
    }

    /**
     * Executor side: the output rows of a partition, one per input row and in input order, block by block.
     *
     * @param retain makes an input row safe to hold after the input moved on (see {@link BlockIterator})
     */
    public <I, O> Iterator<O> apply(Iterator<I> rows, UnaryOperator<I> retain, RowAdapter<I, O> adapter) {
        GlinerModel gliner = model.get();
        int calls = callOptions.size();
        List<RowBlockExtractor> extractors = new ArrayList<>(calls);
        for (int c = 0; c < calls; c++) {
            extractors.add(new RowBlockExtractor(gliner, callOptions.get(c), metrics, sharedLabels, c == 0));
        }
        long[] rowsBefore = {0};
        return new BlockIterator<I, O>(rows, rowsPerBlock, retain, block -> {
            List<List<RowBlockExtractor.Request>> requests = new ArrayList<>(block.size());
            for (I row : block) {
                List<RowBlockExtractor.Request> rowRequests = adapter.requests(row);
                if (rowRequests.size() != calls) {
                    throw new IllegalStateException("a row made " + rowRequests.size() + " requests for " + calls
                            + " calls");
                }
                requests.add(rowRequests);
            }
            List<List<RowBlockExtractor.Result>> results = new ArrayList<>(block.size());
            for (int i = 0; i < block.size(); i++) {
                results.add(new ArrayList<>(Collections.nCopies(calls, null)));
            }
            for (int c = 0; c < calls; c++) {
                List<RowBlockExtractor.Request> asked = new ArrayList<>(block.size());
                List<Integer> askedRows = new ArrayList<>(block.size());
                for (int i = 0; i < block.size(); i++) {
                    RowBlockExtractor.Request request = requests.get(i).get(c);
                    if (request != null) {
                        asked.add(request);
                        askedRows.add(i);
                    }
                }
                if (asked.isEmpty()) {
                    continue;
                }
                List<RowBlockExtractor.Result> found = extractors.get(c).extract(asked);
                for (int k = 0; k < askedRows.size(); k++) {
                    results.get(askedRows.get(k)).set(c, found.get(k));
                }
            }
            List<O> output = new ArrayList<>(block.size());
            for (int i = 0; i < block.size(); i++) {
                output.add(adapter.output(block.get(i), results.get(i), rowsBefore[0] + i));
            }
            rowsBefore[0] += block.size();
            return output;
        });
    }

    /** The current task's partition, for messages; {@code ?} outside a task. */
    public static String partition() {
        TaskContext task = TaskContext.get();
        return task == null ? "?" : Integer.toString(task.partitionId());
    }
}
