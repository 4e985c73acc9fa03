package io.glinerspark.spark.delta;

import io.glinerspark.spark.ModelIdentity;
import io.glinerspark.spark.ml.GlinerTransformer;
import io.glinerspark.spark.task.JobModel;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.when;

/**
 * Documents in, Delta entity tables out: a configured {@link GlinerTransformer}, the document-level results
 * ({@link DocumentResults}) and an {@link EntityTableWriter}, for batch runs (optionally incremental) and for
 * streams (exactly once: merged micro-batches, or appends Delta stores once per micro-batch).
 *
 * <p>Documents and their ids, decided before anything is extracted:
 * <ul>
 *   <li>the id is the id column as a string; without an id column, or where the id is NULL, it is
 *       {@code sha256:} and the hex SHA-256 of the text columns (NULL texts as empty ones, joined by NUL
 *       characters), so equal texts are one document;</li>
 *   <li>rows that repeat an id with the same texts are one document, extracted and stored once;</li>
 *   <li>rows that repeat an id with different texts are not extracted: the document gets an error saying so, and
 *       what was stored for it before stays;</li>
 *   <li>a NULL or empty text is a document without entities.</li>
 * </ul>
 */
public final class EntityTablePipeline {

    private static final String DOC_ID = "_gliner_doc_id";
    private static final String TEXT_KEY = "_gliner_text_key";
    private static final String VARIANTS = "_gliner_variants";
    private static final String VARIANT = "_gliner_variant";
    private static final String CONFLICT = "_gliner_conflict";
    private static final String PENDING_ID = "_gliner_pending_id";
    /**
     * Prefix of ids derived from the texts: the hex digest alone could also be an id of the id column, and that
     * document's results would replace those of the text with that digest.
     */
    public static final String DERIVED_ID_PREFIX = "sha256:";
    /** Prefix of the Delta transaction app id of a stream's appends, before the stream's query id. */
    static final String STREAM_ID_PREFIX = "gliner-stream:";
    /** The local property in which Spark's stream thread holds its query id. */
    private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

    private final GlinerTransformer transformer;
    private final String idColumn;
    private final List<String> textColumns;
    private final List<String> entityColumns;
    private final String errorColumn;
    private final DocumentResults.Provenance provenance;
    private final EntityTableWriter writer;

    /**
     * A pipeline whose provenance is derived from {@code transformer}: the model id and revision of the files its
     * model source resolves to (as the extraction job records them), and the fingerprint of its labels and decoding
     * settings. Results of this pipeline and of the job on the same model and labels share their keys, so each
     * sees the other's documents as done in incremental runs and merges over the other's rows.
     *
     * @param transformer configured with one label list ({@code labels}) and the model; its input and output
     *                    columns are set here
     * @param idColumn    document id column of the input, or null to derive every id from the texts
     * @param textColumns text columns of the input
     * @param runId       id stored with every row this pipeline writes
     * @param extractedAt time stored with every row this pipeline writes
     * @throws IllegalArgumentException when the transformer has no label list of its own (per-row labels have no
     *                                  one fingerprint to key results on)
     */
    public static EntityTablePipeline create(GlinerTransformer transformer, String idColumn, List<String> textColumns,
                                             String runId, Instant extractedAt, EntityTableWriter writer) {
        return create(JobModel.prepare(writer.spark(), transformer.modelOptions()), transformer, idColumn,
                textColumns, runId, extractedAt, writer);
    }

    /**
     * {@link #create(GlinerTransformer, String, List, String, Instant, EntityTableWriter)} with the model already
     * prepared on the driver (a driver folder is then not shipped again). The pipeline's transforms, every
     * micro-batch's included, use {@code model} ({@link GlinerTransformer#usePreparedModel}).
     *
     * @param model prepared from {@code transformer.modelOptions()}
     * @throws IllegalArgumentException when {@code model} was prepared from other options than the transformer's
     */
    public static EntityTablePipeline create(JobModel model, GlinerTransformer transformer, String idColumn,
                                             List<String> textColumns, String runId, Instant extractedAt,
                                             EntityTableWriter writer) {
        if (!model.options().equals(transformer.modelOptions())) {
            throw new IllegalArgumentException("the model was prepared from " + model.options()
                    + ", but the transformer runs " + transformer.modelOptions());
        }
        if (!transformer.isDefined(transformer.labels()) || transformer.isDefined(transformer.labelsCol())) {
            throw new IllegalArgumentException("an entity table pipeline needs the transformer's labels (one list "
                    + "for all rows, whose fingerprint keys the stored results), not labelsCol");
        }
        ModelIdentity identity = ModelIdentity.of(model);
        DocumentResults.Provenance provenance = new DocumentResults.Provenance(identity.id(), identity.revision(),
                DocumentResults.fingerprint(transformer.labelSet(), transformer.extractionOptions()), runId,
                extractedAt);
        EntityTablePipeline pipeline = new EntityTablePipeline(transformer, idColumn, textColumns, provenance, writer);
        pipeline.transformer.usePreparedModel(model);
        return pipeline;
    }

    /**
     * A pipeline that stamps its results with {@code provenance} as given; {@link #create} derives it from the
     * transformer, which keeps the model id consistent with other runs on the same model.
     *
     * @param transformer configured with labels and model; its input and output columns are set here
     * @param idColumn    document id column of the input, or null to derive every id from the texts
     * @param textColumns text columns of the input
     */
    EntityTablePipeline(GlinerTransformer transformer, String idColumn, List<String> textColumns,
                        DocumentResults.Provenance provenance, EntityTableWriter writer) {
        if (textColumns.isEmpty()) {
            throw new IllegalArgumentException("at least one text column is needed");
        }
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

    /** Document-level results of a batch {@code input}, one row per document and text column (lazy). */
    public Dataset<Row> results(Dataset<Row> input) {
        return extract(documents(withIds(input), partitionsOf(input), null));
    }

    /** Extracts {@code input} and writes it; with {@code incremental}, only documents the documents table lacks. */
    public void run(Dataset<Row> input, boolean incremental) {
        run(input, incremental, null);
    }

    /**
     * {@link #run(Dataset, boolean)} on at most {@code limit} documents (null: all), chosen after the incremental
     * filter, so that successive limited incremental runs work through the input.
     */
    public void run(Dataset<Row> input, boolean incremental, Integer limit) {
        Dataset<Row> keyed = withIds(input);
        writer.write(extract(documents(incremental ? pendingOnly(keyed) : keyed, partitionsOf(input), limit)));
    }

    /**
     * The rows of {@code input} of documents with at least one text column whose (id, text, model, labels) is not
     * yet in the documents table without error. Such a document is extracted again for all its text columns;
     * merging makes that harmless.
     */
    public Dataset<Row> unprocessed(Dataset<Row> input) {
        return pendingOnly(withIds(input)).drop(DOC_ID, TEXT_KEY);
    }

    /**
     * Starts a stream that extracts and writes each micro-batch of {@code stream}, exactly once: merged, or appended
     * as an idempotent Delta write keyed on the stream's id and the micro-batch id. The stream's id is Spark's query
     * id, which Spark writes into a new checkpoint and reads back from it on every restart: a restart resumes the
     * same stream, while a checkpoint deleted and created again at the same location is a new stream, whose
     * micro-batch ids start again at 0 and are not mistaken for the old stream's.
     *
     * @param checkpoint where the stream records its progress; a restart with the same location resumes
     * @throws IllegalArgumentException when the writer's mode is overwrite
     */
    public StreamingQuery startStream(Dataset<Row> stream, String checkpoint, Trigger trigger) {
        writer.requireStreamable();
        VoidFunction2<Dataset<Row>, Long> writeBatch = (batch, batchId) ->
                writer.write(results(batch), new StreamBatch(streamId(batch), batchId));
        StreamingQuery query;
        try {
            query = stream.writeStream()
                    .queryName("gliner-extraction")
                    .option("checkpointLocation", checkpoint)
                    .trigger(trigger)
                    .foreachBatch(writeBatch)
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the stream did not start: " + e.getMessage(), e);
        }
        return query;
    }

    /**
     * The id of the stream a micro-batch belongs to. Spark runs {@code foreachBatch} on the stream's own thread, where
     * it has set the query id as a local property before the first micro-batch, so the id is known without waiting
     * for {@code start()} to return.
     */
    private static String streamId(Dataset<Row> batch) {
        String queryId = batch.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
        if (queryId == null) {
            throw new IllegalStateException("a micro-batch ran without its stream's query id (Spark's local property "
                    + QUERY_ID_PROPERTY + "), so its write cannot be made idempotent");
        }
        return STREAM_ID_PREFIX + queryId;
    }

    /** What every row this pipeline writes records about the model, labels and run. */
    public DocumentResults.Provenance provenance() {
        return provenance;
    }

    /** The writer. */
    public EntityTableWriter writer() {
        return writer;
    }

    private Dataset<Row> withIds(Dataset<Row> input) {
        List<String> required = new ArrayList<>(textColumns);
        if (idColumn != null) {
            required.add(idColumn);
        }
        for (String column : required) {
            if (!Arrays.asList(input.columns()).contains(column)) {
                throw new IllegalArgumentException("column '" + column + "' not in the input (columns: "
                        + Arrays.toString(input.columns()) + ")");
            }
        }
        Column derived = concat(lit(DERIVED_ID_PREFIX), sha2(concat_ws("\u0000", textColumns.stream()
                .map(c -> coalesce(col(c), lit(""))).toArray(Column[]::new)), 256));
        Column id = idColumn == null ? derived : coalesce(col(idColumn).cast(DataTypes.StringType), derived);
        Column textKey = concat_ws(",", textColumns.stream().map(c -> DocumentResults.textHash(coalesce(col(c), lit(""))))
                .toArray(Column[]::new));
        return input.withColumn(DOC_ID, id).withColumn(TEXT_KEY, textKey);
    }

    private Dataset<Row> pendingOnly(Dataset<Row> keyed) {
        Dataset<Row> candidates = null;
        for (String text : textColumns) {
            Dataset<Row> one = keyed.select(col(DOC_ID).as(EntityTables.DOC_ID),
                    lit(text).as(EntityTables.SOURCE_COLUMN),
                    DocumentResults.textHash(coalesce(col(text), lit(""))).as(EntityTables.TEXT_HASH),
                    lit(provenance.modelId()).as(EntityTables.MODEL_ID),
                    lit(provenance.labelsFingerprint()).cast(DataTypes.StringType)
                            .as(EntityTables.LABELS_FINGERPRINT));
            candidates = candidates == null ? one : candidates.unionByName(one);
        }
        Dataset<Row> pending = writer.unprocessed(candidates).select(col(EntityTables.DOC_ID).as(PENDING_ID))
                .distinct();
        return keyed.join(pending, col(DOC_ID).equalTo(col(PENDING_ID)), "left_semi");
    }

    /**
     * One row per document id, in {@code partitions} partitions: repeated rows collapsed, and the texts of an id
     * that comes with different texts replaced by NULL (nothing to extract) beside the error that says why.
     */
    private Dataset<Row> documents(Dataset<Row> keyed, int partitions, Integer limit) {
        WindowSpec byId = Window.partitionBy(DOC_ID);
        // Hashing by id once serves both the de-duplication and the window.
        Dataset<Row> documents = keyed.repartition(partitions, col(DOC_ID)).dropDuplicates(DOC_ID, TEXT_KEY)
                .withColumn(VARIANTS, count(lit(1)).over(byId))
                .withColumn(VARIANT, row_number().over(byId.orderBy(TEXT_KEY)))
                .filter(col(VARIANT).equalTo(1));
        Column conflicting = col(VARIANTS).gt(1);
        for (String text : textColumns) {
            documents = documents.withColumn(text, when(conflicting, lit(null).cast(DataTypes.StringType))
                    .otherwise(col(text)));
        }
        documents = documents.withColumn(CONFLICT, when(conflicting, concat(lit("document id '"), col(DOC_ID),
                lit("' comes with "), col(VARIANTS).cast(DataTypes.StringType),
                lit(" different texts in this input; rows that share an id must have the same text"))));
        if (limit != null) {
            documents = documents.limit(limit).repartition(partitions);
        }
        return documents.drop(VARIANTS, VARIANT);
    }

    private Dataset<Row> extract(Dataset<Row> documents) {
        Dataset<Row> extracted = transformer.transform(documents)
                .withColumn(errorColumn, coalesce(col(CONFLICT), col(errorColumn)));
        return DocumentResults.from(extracted, DOC_ID, textColumns, entityColumns, errorColumn, provenance);
    }

    /** Extraction keeps the input's parallelism (its partitions, as the job's repartitioning left them). */
    private static int partitionsOf(Dataset<Row> input) {
        return Math.max(1, input.rdd().getNumPartitions());
    }
}
