package io.glinerspark.spark.delta;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import io.glinerspark.settings.WriteMode;
import io.glinerspark.spark.ScalaSeqs;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * Writes extraction results ({@link DocumentResults#SCHEMA}, one row per document and text column) into Delta:
 * an entities table with one row per entity ({@link #ENTITY_SCHEMA}) and, optionally, a documents table with one
 * row per document and text column, its entities nested ({@link #DOCUMENT_TABLE_SCHEMA}). The documents table
 * also records which documents were processed, including those with no entity, which is what {@link #unprocessed}
 * reads.
 *
 * <p>A result with an error (NULL entities) never touches the entities stored for its document: in the documents
 * table it sets {@code error} and {@code error_run_id} and keeps the last good result's columns (or NULL ones when
 * there is none), and {@link #unprocessed} treats it as not processed, so the next incremental run retries it.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@link WriteMode#APPEND}: adds rows; running a batch twice stores it twice, except for stream micro-batches
 *       written with a {@link StreamBatch}, which Delta's idempotent writes store once however often they replay.</li>
 *   <li>{@link WriteMode#MERGE}: idempotent upsert keyed on (doc_id, source_column, model_id). In the entities table one
 *       MERGE deletes every existing row of the batch's keys and inserts the new ones, atomically: a re-run never
 *       duplicates, and entities a changed document no longer has disappear. The documents table is upserted
 *       after it, so a failure between the two only makes an incremental run redo those documents. A MERGE that
 *       loses a race with a concurrent writer is retried; a last check makes both tables agree for every key of
 *       the batch, whichever writer committed last.</li>
 *   <li>{@link WriteMode#OVERWRITE}: replaces the tables' contents; not for streams.</li>
 * </ul>
 * A failed or retried Spark task never leaves rows behind: Delta commits a write's files only when its job succeeds.
 */
public final class EntityTableWriter {

    private static final Logger LOG = LoggerFactory.getLogger(EntityTableWriter.class);

    /** A Delta table given by path ({@code /data/x}, {@code s3a://b/x}) or by catalog name ({@code db.x}). */
    public record Target(String path, String table) {

        public Target {
            if ((path == null) == (table == null)) {
                throw new IllegalArgumentException("a target is either a path or a table name");
            }
        }

        public static Target path(String path) {
            return new Target(path, null);
        }

        public static Target table(String name) {
            return new Target(null, name);
        }

        @Override
        public String toString() {
            return path != null ? path : table;
        }
    }

    /**
     * One micro-batch of a stream: Delta records {@code (appId, batchId)} with an append and skips a later append
     * with the same app id and a batch id not above it, so a replayed micro-batch is stored once.
     *
     * @param appId   the same for every run of one stream (derive it from the checkpoint location)
     * @param batchId the micro-batch id, increasing within the stream
     */
    public record StreamBatch(String appId, long batchId) {
    }

    /** Key of a document's results: re-runs of the same document, text column and model replace each other. */
    public static final List<String> KEY = List.of("doc_id", "source_column", "model_id");

    /** One row per entity. */
    public static final StructType ENTITY_SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("doc_id", DataTypes.StringType, false),
            DataTypes.createStructField("source_column", DataTypes.StringType, false),
            DataTypes.createStructField("entity_text", DataTypes.StringType, true),
            DataTypes.createStructField("label", DataTypes.StringType, true),
            DataTypes.createStructField("start", DataTypes.IntegerType, true),
            DataTypes.createStructField("end", DataTypes.IntegerType, true),
            DataTypes.createStructField("score", DataTypes.FloatType, true),
            DataTypes.createStructField("model_id", DataTypes.StringType, false),
            DataTypes.createStructField("model_revision", DataTypes.StringType, true),
            DataTypes.createStructField("labels_fingerprint", DataTypes.StringType, true),
            DataTypes.createStructField("run_id", DataTypes.StringType, true),
            DataTypes.createStructField("extracted_at", DataTypes.TimestampType, true)});

    /**
     * One row per document and text column: the last good result ({@code text_hash} to {@code entity_count}, NULL
     * when the document never had one) and, when a later attempt failed, its {@code error} and {@code error_run_id}.
     */
    public static final StructType DOCUMENT_TABLE_SCHEMA = DocumentResults.SCHEMA
            .add("entity_count", DataTypes.IntegerType, true)
            .add("error_run_id", DataTypes.StringType, true);

    /** Attempts of one MERGE that keeps losing races with concurrent writers before the write fails. */
    static final int MERGE_ATTEMPTS = 8;
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 10_000;

    private static final String ACTION = "_gliner_action";
    /** Delta's error class for creating a path table whose folder has files but no commit yet. */
    private static final String NON_EMPTY_LOCATION = "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION";
    /** Delta's error class for a path that holds no committed table. */
    private static final String TABLE_NOT_FOUND = "DELTA_TABLE_NOT_FOUND";

    private final SparkSession spark;
    private final Target entities;
    private final Target documents;
    private final WriteMode mode;
    private final List<String> partitionBy;

    /**
     * @param documents   the documents table, or null to write entities only
     * @param partitionBy partition columns; each table is partitioned by those of them it has
     */
    public EntityTableWriter(SparkSession spark, Target entities, Target documents, WriteMode mode, List<String> partitionBy) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.entities = Objects.requireNonNull(entities, "entities");
        this.documents = documents;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.partitionBy = List.copyOf(partitionBy);
        for (String column : partitionBy) {
            if (!Arrays.asList(ENTITY_SCHEMA.fieldNames()).contains(column)
                    && !Arrays.asList(DOCUMENT_TABLE_SCHEMA.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("partition column '" + column + "' is in neither table; entity table "
                        + "columns: " + Arrays.toString(ENTITY_SCHEMA.fieldNames()));
            }
        }
    }

    /** Writes one batch of results; {@code results} must have the columns of {@link DocumentResults#SCHEMA}. */
    public void write(Dataset<Row> results) {
        write(results, null);
    }

    /**
     * Writes one micro-batch of a stream, or a batch when {@code streamBatch} is null. Appends of a stream batch
     * are idempotent Delta writes; merges need no batch id, a replayed merge changes nothing.
     *
     * @throws IllegalArgumentException in {@link WriteMode#OVERWRITE} with a stream batch: each micro-batch would replace
     *                                  the results of the ones before
     */
    public void write(Dataset<Row> results, StreamBatch streamBatch) {
        if (streamBatch != null) {
            requireStreamable();
        }
        Dataset<Row> batch = results.select(columns(DocumentResults.SCHEMA)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (mode != WriteMode.OVERWRITE && batch.isEmpty()) {
                // Nothing to add or replace (e.g. an incremental run with no new documents): no empty commits.
                return;
            }
            if (mode == WriteMode.MERGE) {
                requireUniqueKeys(batch);
            }
            Dataset<Row> entityRows = entityRows(batch);
            Dataset<Row> documentRows = documentRows(batch);
            switch (mode) {
                case APPEND, OVERWRITE -> {
                    save(entityRows, entities, ENTITY_SCHEMA, streamBatch);
                    if (documents != null) {
                        save(documentRows, documents, DOCUMENT_TABLE_SCHEMA, streamBatch);
                    }
                }
                case MERGE -> {
                    // A failed result keeps what is stored for its key: only good results replace entities.
                    Dataset<Row> replacedKeys = batch.filter(col("error").isNull()).select(columns(KEY)).distinct();
                    retrying("merge into " + entities, () -> replaceEntitiesOfKeys(replacedKeys, entityRows));
                    if (documents != null) {
                        retrying("merge into " + documents, () -> upsertDocuments(documentRows));
                        reconcile(batch.select(columns(KEY)).distinct());
                    }
                }
            }
        } finally {
            batch.unpersist();
        }
    }

    /** @throws IllegalArgumentException when this writer's mode cannot write a stream exactly once */
    public void requireStreamable() {
        if (mode == WriteMode.OVERWRITE) {
            throw new IllegalArgumentException("mode overwrite cannot write a stream: each micro-batch would replace "
                    + "the tables and keep only its own documents; use merge (or append)");
        }
    }

    /**
     * The candidates not yet in the documents table with the same text, model and labels and without error:
     * {@code candidates} needs the columns doc_id, source_column, text_hash, model_id and labels_fingerprint. All
     * candidates when the documents table does not exist yet.
     */
    public Dataset<Row> unprocessed(Dataset<Row> candidates) {
        if (documents == null) {
            throw new IllegalStateException("incremental extraction needs a documents table");
        }
        if (!exists(documents)) {
            return candidates;
        }
        List<String> keys = List.of("doc_id", "source_column", "model_id", "labels_fingerprint", "text_hash");
        Dataset<Row> processed = read(documents).filter(col("error").isNull())
                .select(keys.stream().map(k -> col(k)).toArray(Column[]::new)).distinct();
        return candidates.join(processed, ScalaSeqs.of(keys), "left_anti");
    }

    /** The session this writer writes with. */
    SparkSession spark() {
        return spark;
    }

    /** The entities target. */
    public Target entities() {
        return entities;
    }

    /** The documents target, or null. */
    public Target documents() {
        return documents;
    }

    /** Reads a target as a DataFrame; an empty one with the table's schema when the table does not exist yet. */
    public Dataset<Row> read(Target target) {
        if (!exists(target)) {
            StructType schema = target.equals(entities) ? ENTITY_SCHEMA : DOCUMENT_TABLE_SCHEMA;
            return spark.createDataFrame(List.of(), schema);
        }
        Dataset<Row> table = target.path() != null ? spark.read().format("delta").load(target.path())
                : spark.table(target.table());
        if (target.equals(documents) && !Arrays.asList(table.columns()).contains("error_run_id")) {
            // Written before failed documents recorded their run; the first merge adds the column.
            table = table.withColumn("error_run_id", lit(null).cast(DataTypes.StringType));
        }
        return table;
    }

    private static Dataset<Row> entityRows(Dataset<Row> results) {
        return results.select(col("doc_id"), col("source_column"), col("model_id"), col("model_revision"),
                        col("labels_fingerprint"), col("run_id"), col("extracted_at"), explode(col("entities")).as("e"))
                .select(col("doc_id"), col("source_column"), col("e.text").as("entity_text"), col("e.label").as("label"),
                        col("e.start").as("start"), col("e.end").as("end"), col("e.score").as("score"), col("model_id"),
                        col("model_revision"), col("labels_fingerprint"), col("run_id"), col("extracted_at"));
    }

    private static Dataset<Row> documentRows(Dataset<Row> batch) {
        Column good = col("error").isNull();
        List<Column> columns = new ArrayList<>();
        for (String name : DocumentResults.SCHEMA.fieldNames()) {
            boolean resultColumn = !KEY.contains(name) && !name.equals("error");
            columns.add(resultColumn ? when(good, col(name)).as(name) : col(name));
        }
        columns.add(when(good, size(col("entities"))).cast(DataTypes.IntegerType).as("entity_count"));
        columns.add(when(col("error").isNotNull(), col("run_id")).as("error_run_id"));
        return batch.select(columns.toArray(Column[]::new));
    }

    /**
     * Replaces every stored entity of {@code keys} by {@code entityRows} in one MERGE: its source holds a 'delete'
     * row per key, which matches every stored row of that key, and an 'insert' row per new entity, which never
     * matches, so each key is cleared and refilled atomically.
     */
    private void replaceEntitiesOfKeys(Dataset<Row> keys, Dataset<Row> entityRows) {
        DeltaTable table = createIfMissing(entities, ENTITY_SCHEMA);
        List<Column> deleteColumns = new ArrayList<>();
        for (StructField field : ENTITY_SCHEMA.fields()) {
            deleteColumns.add(KEY.contains(field.name()) ? col(field.name())
                    : lit(null).cast(field.dataType()).as(field.name()));
        }
        deleteColumns.add(lit("delete").as(ACTION));
        Dataset<Row> deletes = keys.select(deleteColumns.toArray(Column[]::new));
        Dataset<Row> inserts = entityRows.select(columns(ENTITY_SCHEMA)).withColumn(ACTION, lit("insert"));
        Dataset<Row> source = deletes.unionByName(inserts);

        Map<String, String> insertValues = new LinkedHashMap<>();
        for (String column : ENTITY_SCHEMA.fieldNames()) {
            insertValues.put("`" + column + "`", "s.`" + column + "`");
        }
        table.as("t").merge(source.as("s"), "s." + ACTION + " = 'delete' AND " + keyMatch())
                .whenMatched().delete()
                .whenNotMatched("s." + ACTION + " = 'insert'").insertExpr(insertValues)
                .execute();
    }

    private void upsertDocuments(Dataset<Row> documentRows) {
        DeltaTable table = createIfMissing(documents, DOCUMENT_TABLE_SCHEMA);
        // Tables written before error_run_id existed gain the column.
        table.as("t").merge(documentRows.as("s"), keyMatch())
                .withSchemaEvolution()
                .whenMatched("s.error IS NULL").updateAll()
                .whenMatched().updateExpr(Map.of("error", "s.error", "error_run_id", "s.error_run_id"))
                .whenNotMatched().insertAll()
                .execute();
    }

    /**
     * Makes the entities table agree with the documents table for {@code keys}. Each table is written atomically,
     * but not both together: when two writers write the same document at once, the entities of one may end up
     * beside the documents row of the other. Every writer ends with this check, so whichever commits last, the
     * entities of each key are those its documents row describes (same run, same count).
     */
    private void reconcile(Dataset<Row> keys) {
        for (int round = 1; ; round++) {
            Dataset<Row> stale = disagreeingKeys(keys).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                long count = stale.count();
                if (count == 0) {
                    return;
                }
                if (round > MERGE_ATTEMPTS) {
                    throw new IllegalStateException("the entities and documents tables (" + entities + ", " + documents
                            + ") still disagree on " + count + " documents after " + MERGE_ATTEMPTS + " repairs, e.g. "
                            + stale.first() + "; other writers keep changing them");
                }
                LOG.warn("{} documents of {} changed under a concurrent writer; copying their entities from {}",
                        count, entities, documents);
                retrying("repair of " + entities, () -> {
                    Dataset<Row> described = read(documents).join(stale, ScalaSeqs.of(KEY), "left_semi");
                    replaceEntitiesOfKeys(stale, entityRows(described));
                });
            } finally {
                stale.unpersist();
            }
        }
    }

    /** The keys whose entity rows are not exactly those the documents row describes (its run and its count). */
    private Dataset<Row> disagreeingKeys(Dataset<Row> keys) {
        Dataset<Row> described = read(documents).join(keys, ScalaSeqs.of(KEY), "left_semi").select(col("doc_id"),
                col("source_column"), col("model_id"), col("run_id").as("d_run"), col("extracted_at").as("d_at"),
                coalesce(col("entity_count"), lit(0)).as("expected"));
        Dataset<Row> stored = read(entities).join(keys, ScalaSeqs.of(KEY), "left_semi").groupBy(columns(KEY)).agg(
                count(lit(1)).as("actual"), min("run_id").as("min_run"), max("run_id").as("max_run"),
                min("extracted_at").as("min_at"), max("extracted_at").as("max_at"));
        Column agree = coalesce(col("expected"), lit(0)).equalTo(coalesce(col("actual"), lit(0L)))
                .and(col("actual").isNull().or(col("min_run").eqNullSafe(col("d_run"))
                        .and(col("max_run").eqNullSafe(col("d_run")))
                        .and(col("min_at").eqNullSafe(col("d_at"))).and(col("max_at").eqNullSafe(col("d_at")))));
        return described.join(stored, ScalaSeqs.of(KEY), "full_outer").filter(not(agree)).select(columns(KEY));
    }

    /**
     * Runs one Delta commit, again after a pause (exponential, with jitter, so that competing writers spread out)
     * while it loses to a concurrent commit; every commit this writer retries is idempotent.
     */
    private void retrying(String what, Runnable commit) {
        for (int attempt = 1; ; attempt++) {
            try {
                commit.run();
                return;
            } catch (Exception e) { // Delta's conflicts include checked exceptions that Scala code throws undeclared
                if (!lostRace(e)) {
                    throw e;
                }
                if (attempt == MERGE_ATTEMPTS) {
                    throw new IllegalStateException(what + " lost to concurrent writers " + MERGE_ATTEMPTS
                            + " times; nothing of this attempt was committed: " + e.getMessage(), e);
                }
                long ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << (attempt - 1));
                long pause = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
                LOG.warn("{}: concurrent update ({}), attempt {} of {} in {} ms", what, e.getClass().getSimpleName(),
                        attempt + 1, MERGE_ATTEMPTS, pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(what + " interrupted while waiting to retry", e);
                }
            }
        }
    }

    /**
     * A commit that failed only because another writer committed first, including creating the table: a path table
     * that another writer is creating at this moment has files but no commit yet, which Delta reports as a
     * non-empty location, or, once it has opened the folder, as a table not found.
     */
    private static boolean lostRace(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeltaConcurrentModificationException || cause instanceof TableAlreadyExistsException
                    || cause instanceof TableBeingCreatedException) {
                return true;
            }
        }
        return hasErrorClass(error, NON_EMPTY_LOCATION);
    }

    /** Whether {@code error} or one of its causes carries Delta's {@code errorClass}. */
    // Some Delta lines leave the error class unset on their exceptions and only name it in the message.
    @SuppressWarnings("deprecation") // getErrorClass is the accessor that every supported Spark line has
    private static boolean hasErrorClass(Throwable error, String errorClass) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SparkThrowable sparkError && (errorClass.equals(sparkError.getErrorClass())
                    || String.valueOf(cause.getMessage()).startsWith("[" + errorClass + "]"))) {
                return true;
            }
        }
        return false;
    }

    private static String keyMatch() {
        return String.join(" AND ", KEY.stream().map(k -> "t." + k + " = s." + k).toList());
    }

    private void requireUniqueKeys(Dataset<Row> batch) {
        List<Row> duplicates = batch.groupBy(columns(KEY)).count().filter(col("count").gt(1)).limit(5).collectAsList();
        if (!duplicates.isEmpty()) {
            List<String> keys = duplicates.stream().map(r -> "doc_id=" + r.get(0) + " source_column=" + r.get(1)
                    + " model_id=" + r.get(2) + " (" + r.getLong(3) + " times)").toList();
            throw new IllegalArgumentException("merge needs one result per (doc_id, source_column, model_id), but the "
                    + "batch repeats " + String.join("; ", keys) + " (EntityTablePipeline collapses repeated documents "
                    + "before extraction)");
        }
    }

    private void save(Dataset<Row> rows, Target target, StructType schema, StreamBatch streamBatch) {
        var writer = rows.write().format("delta").mode(mode == WriteMode.OVERWRITE ? SaveMode.Overwrite : SaveMode.Append);
        List<String> partitions = partitionsOf(schema);
        if (!partitions.isEmpty()) {
            writer = writer.partitionBy(partitions.toArray(String[]::new));
        }
        writer = mode == WriteMode.OVERWRITE ? writer.option("overwriteSchema", "true") : writer.option("mergeSchema", "true");
        if (streamBatch != null) {
            writer = writer.option("txnAppId", streamBatch.appId()).option("txnVersion", streamBatch.batchId());
        }
        if (target.path() != null) {
            writer.save(target.path());
        } else {
            writer.saveAsTable(target.table());
        }
    }

    private DeltaTable createIfMissing(Target target, StructType schema) {
        var builder = DeltaTable.createIfNotExists(spark).addColumns(schema);
        builder = target.path() != null ? builder.location(target.path()) : builder.tableName(target.table());
        List<String> partitions = partitionsOf(schema);
        if (!partitions.isEmpty()) {
            builder = builder.partitionedBy(partitions.toArray(String[]::new));
        }
        try {
            return builder.execute();
        } catch (Exception e) { // Delta's analysis errors are checked exceptions that Scala code throws undeclared
            // The builder found the table being created by another writer (its folder exists) and then read it
            // before that writer's first commit: the same lost race as a conflicting commit.
            if (hasErrorClass(e, TABLE_NOT_FOUND)) {
                throw new TableBeingCreatedException(target, e);
            }
            throw e;
        }
    }

    /** Another writer is creating the table this writer wanted to create or open. */
    private static final class TableBeingCreatedException extends RuntimeException {
        TableBeingCreatedException(Target target, Throwable cause) {
            super((target.path() != null ? target.path() : target.table()) + " is being created by another writer",
                    cause);
        }
    }

    private boolean exists(Target target) {
        return target.path() != null ? DeltaTable.isDeltaTable(spark, target.path())
                : spark.catalog().tableExists(target.table());
    }

    private List<String> partitionsOf(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        return partitionBy.stream().filter(names::contains).toList();
    }

    private static Column[] columns(StructType schema) {
        return columns(Arrays.asList(schema.fieldNames()));
    }

    private static Column[] columns(List<String> names) {
        return names.stream().map(n -> col("`" + n + "`")).toArray(Column[]::new);
    }
}
