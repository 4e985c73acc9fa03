package io.glinerspark.spark.ml;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.spark.EntitySchema;
import io.glinerspark.spark.task.BlockIterator;
import io.glinerspark.spark.task.ExtractionMetrics;
import io.glinerspark.spark.task.JobModel;
import io.glinerspark.spark.task.RowBlockExtractor;
import io.glinerspark.types.Entity;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The partition function of {@link GlinerTransformer}: input rows in, the same rows plus entities columns (and the
 * error column when asked) out, block by block, in input order.
 */
final class DataFramePartitionFunction implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final JobModel model;
    private final ExtractionOptions options;
    private final List<String> textColumns;
    private final int[] textIndexes;
    private final Broadcast<List<String>> sharedLabels;
    private final int labelsIndex;
    private final boolean errorColumn;
    private final int rowsPerBlock;
    private final ExtractionMetrics metrics;

    /**
     * @param sharedLabels labels of every row, or null when they come from the column at {@code labelsIndex}
     * @param errorColumn  true: failed rows get NULL entities and a message; false: they fail the task
     * @param metrics      counters, or null
     */
    DataFramePartitionFunction(JobModel model, ExtractionOptions options, List<String> textColumns, int[] textIndexes,
                          Broadcast<List<String>> sharedLabels, int labelsIndex, boolean errorColumn, int rowsPerBlock,
                          ExtractionMetrics metrics) {
        this.model = model;
        this.options = options;
        this.textColumns = List.copyOf(textColumns);
        this.textIndexes = textIndexes.clone();
        this.sharedLabels = sharedLabels;
        this.labelsIndex = labelsIndex;
        this.errorColumn = errorColumn;
        this.rowsPerBlock = rowsPerBlock;
        this.metrics = metrics;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        RowBlockExtractor extractor = new RowBlockExtractor(model.get(), options, metrics, sharedLabels != null);
        List<String> labels = sharedLabels == null ? null : sharedLabels.value();
        long[] rowsBefore = {0};
        // Rows from a Dataset's deserializer are fresh objects: a block may hold them as they are.
        return new BlockIterator<Row, Row>(rows, rowsPerBlock, row -> row, block -> {
            List<RowBlockExtractor.Request> requests = new ArrayList<>(block.size());
            for (Row row : block) {
                String[] texts = new String[textIndexes.length];
                for (int c = 0; c < texts.length; c++) {
                    texts[c] = row.isNullAt(textIndexes[c]) ? null : row.getString(textIndexes[c]);
                }
                List<String> rowLabels = labels != null ? labels : row.isNullAt(labelsIndex) ? null : row.getList(labelsIndex);
                requests.add(new RowBlockExtractor.Request(texts, rowLabels));
            }
            List<RowBlockExtractor.Result> results = extractor.extract(requests);
            List<Row> output = new ArrayList<>(block.size());
            for (int i = 0; i < block.size(); i++) {
                output.add(outputRow(block.get(i), requests.get(i), results.get(i), rowsBefore[0] + i));
            }
            rowsBefore[0] += block.size();
            return output;
        });
    }

    private Row outputRow(Row input, RowBlockExtractor.Request request, RowBlockExtractor.Result result, long rowInPartition) {
        if (result.error() != null && !errorColumn) {
            throw new IllegalArgumentException(describeRow(request, rowInPartition) + ": " + result.error()
                    + " (set errorCol to keep such rows with NULL entities and the message)");
        }
        int width = input.length();
        Object[] values = new Object[width + textIndexes.length + (errorColumn ? 1 : 0)];
        for (int i = 0; i < width; i++) {
            values[i] = input.get(i);
        }
        for (int c = 0; c < textIndexes.length; c++) {
            List<Entity> entities = result.entities().get(c);
            values[width + c] = entities == null ? null : EntitySchema.toRows(entities);
        }
        if (errorColumn) {
            values[values.length - 1] = result.error();
        }
        return RowFactory.create(values);
    }

    /** Names the row without quoting its text, which may be confidential and can be megabytes long. */
    private String describeRow(RowBlockExtractor.Request request, long rowInPartition) {
        TaskContext task = TaskContext.get();
        String partition = task == null ? "?" : Integer.toString(task.partitionId());
        StringBuilder texts = new StringBuilder();
        for (int c = 0; c < request.texts().length; c++) {
            String value = request.texts()[c];
            if (value != null) {
                texts.append(texts.length() == 0 ? "" : ", ").append("column ").append(textColumns.get(c))
                        .append(": text of ").append(value.codePointCount(0, value.length())).append(" code points");
            }
        }
        return "gliner: cannot extract row " + rowInPartition + " of partition " + partition + " (" + texts
                + "; labels " + RowBlockExtractor.describe(request.labels()) + ")";
    }
}
