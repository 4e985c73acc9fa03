package io.glinerspark.spark.ml;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.spark.EntitySchema;
import io.glinerspark.spark.task.ExtractionMetrics;
import io.glinerspark.spark.task.JobModel;
import io.glinerspark.spark.task.PartitionExtraction;
import io.glinerspark.spark.task.RowBlockExtractor;
import io.glinerspark.types.Entity;
import io.glinerspark.types.LabelSet;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partition function of {@link GlinerTransformer}: input rows in, the same rows plus entities columns (and the
 * error column when asked) out, block by block, in input order.
 */
final class DataFramePartitionFunction implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final PartitionExtraction extraction;
    private final List<String> textColumns;
    private final int[] textIndexes;
    private final Broadcast<LabelSet> sharedLabels;
    private final int labelsIndex;
    private final LinkedHashMap<String, String> descriptions;
    private final boolean errorColumn;

    /**
     * @param sharedLabels labels of every row, or null when they come from the column at {@code labelsIndex}
     * @param descriptions label to description for the labels of that column's lists, or null
     * @param errorColumn  true: failed rows get NULL entities and a message; false: they fail the task
     * @param metrics      counters, or null
     */
    DataFramePartitionFunction(JobModel model, ExtractionOptions options, List<String> textColumns, int[] textIndexes,
                          Broadcast<LabelSet> sharedLabels, int labelsIndex, Map<String, String> descriptions,
                          boolean errorColumn, int rowsPerBlock, ExtractionMetrics metrics) {
        this.extraction = new PartitionExtraction(model, List.of(options), sharedLabels != null, rowsPerBlock, metrics);
        this.textColumns = List.copyOf(textColumns);
        this.textIndexes = textIndexes.clone();
        this.sharedLabels = sharedLabels;
        this.labelsIndex = labelsIndex;
        this.descriptions = descriptions == null ? null : new LinkedHashMap<>(descriptions);
        this.errorColumn = errorColumn;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        LabelSet labels = sharedLabels == null ? null : sharedLabels.value();
        // Rows from a Dataset's deserializer are fresh objects: a block may hold them as they are.
        return extraction.apply(rows, row -> row, new PartitionExtraction.RowAdapter<Row, Row>() {
            @Override
            public List<RowBlockExtractor.Request> requests(Row row) {
                String[] texts = new String[textIndexes.length];
                for (int c = 0; c < texts.length; c++) {
                    texts[c] = row.isNullAt(textIndexes[c]) ? null : row.getString(textIndexes[c]);
                }
                LabelSet rowLabels = labels != null ? labels : row.isNullAt(labelsIndex) ? null
                        : LabelSet.of(row.getList(labelsIndex), descriptions);
                return List.of(new RowBlockExtractor.Request(texts, rowLabels));
            }

            @Override
            public Row output(Row row, List<RowBlockExtractor.Result> results, long rowInPartition) {
                RowBlockExtractor.Result result = results.get(0);
                if (result.error() != null && !errorColumn) {
                    throw new IllegalArgumentException(describeRow(requests(row).get(0), rowInPartition) + ": "
                            + result.error() + " (set errorCol to keep such rows with NULL entities and the message)");
                }
                return outputRow(row, result);
            }
        });
    }

    private Row outputRow(Row input, RowBlockExtractor.Result result) {
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
        String partition = PartitionExtraction.partition();
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
