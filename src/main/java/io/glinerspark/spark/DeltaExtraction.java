package io.glinerspark.spark;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;

import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Documents in, Delta entity tables out: a configured {@link GlinerTransformer}, the document-level results
 * ({@link DocumentResults}) and an {@link EntityTableWriter}, for batch runs (optionally incremental) and for
 * streams (each micro-batch merged, so a batch replayed after a restart changes nothing: exactly-once results).
 */
public final class DeltaExtraction {

    private final GlinerTransformer transformer;
    private final String idColumn;
    private final List<String> textColumns;
    private final List<String> entityColumns;
    private final String errorColumn;
    private final DocumentResults.Provenance provenance;
    private final EntityTableWriter writer;

    /**
     * @param transformer configured with labels and model; its input and output columns are set here
     * @param idColumn    document id column of the input
     * @param textColumns text columns of the input
     */
    public DeltaExtraction(GlinerTransformer transformer, String idColumn, List<String> textColumns,
                           DocumentResults.Provenance provenance, EntityTableWriter writer) {
        this.idColumn = idColumn;
        this.textColumns = List.copyOf(textColumns);
        this.entityColumns = textColumns.stream().map(c -> "_gliner_entities_" + c).toList();
        this.errorColumn = "_gliner_error";
        this.transformer = transformer.copy(new ParamMap())
                .setInputCols(textColumns.toArray(String[]::new))
                .setOutputCols(entityColumns.toArray(String[]::new))
                .setErrorCol(errorColumn);
        this.transformer.clear(this.transformer.inputCol());
        this.provenance = provenance;
        this.writer = writer;
    }

    /** Document-level results of {@code input} (lazy). */
    public Dataset<Row> results(Dataset<Row> input) {
        return DocumentResults.from(transformer.transform(input), idColumn, textColumns, entityColumns, errorColumn,
                provenance);
    }

    /** Extracts {@code input} and writes it; with {@code incremental}, only rows the documents table lacks. */
    public void run(Dataset<Row> input, boolean incremental) {
        writer.write(results(incremental ? unprocessed(input) : input));
    }

    /**
     * The rows of {@code input} with at least one text column whose (id, text, model, labels) is not yet in the
     * documents table. Such a row is extracted again for all its text columns; merging makes that harmless.
     */
    public Dataset<Row> unprocessed(Dataset<Row> input) {
        Dataset<Row> candidates = null;
        for (String text : textColumns) {
            Dataset<Row> one = input.filter(col(text).isNotNull()).select(
                    col(idColumn).cast(DataTypes.StringType).as("doc_id"), lit(text).as("source_column"),
                    DocumentResults.textHash(col(text)).as("text_hash"), lit(provenance.modelId()).as("model_id"),
                    lit(provenance.labelsFingerprint()).cast(DataTypes.StringType).as("labels_fingerprint"));
            candidates = candidates == null ? one : candidates.unionByName(one);
        }
        Dataset<Row> pending = writer.unprocessed(candidates).select(col("doc_id").as("_gliner_pending_id")).distinct();
        return input.join(pending, col(idColumn).cast(DataTypes.StringType).equalTo(col("_gliner_pending_id")), "left_semi");
    }

    /**
     * Starts a stream that extracts and merges each micro-batch of {@code stream}.
     *
     * @param checkpoint where the stream records its progress; a restart with the same location resumes
     */
    public StreamingQuery startStream(Dataset<Row> stream, String checkpoint, Trigger trigger) {
        VoidFunction2<Dataset<Row>, Long> mergeBatch = (batch, batchId) -> writer.write(results(batch));
        try {
            return stream.writeStream()
                    .queryName("gliner-extraction")
                    .option("checkpointLocation", checkpoint)
                    .trigger(trigger)
                    .foreachBatch(mergeBatch)
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the stream did not start: " + e.getMessage(), e);
        }
    }

    /** The writer. */
    public EntityTableWriter writer() {
        return writer;
    }
}
