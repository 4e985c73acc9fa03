package io.glinerspark.spark.delta;

import io.glinerspark.settings.WriteMode;
import io.glinerspark.spark.ScalaSeqs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static io.glinerspark.spark.delta.EntityTables.DOCUMENT_TABLE;
import static io.glinerspark.spark.delta.EntityTables.DOC_ID;
import static io.glinerspark.spark.delta.EntityTables.END;
import static io.glinerspark.spark.delta.EntityTables.ENTITIES;
import static io.glinerspark.spark.delta.EntityTables.ENTITY_COUNT;
import static io.glinerspark.spark.delta.EntityTables.ENTITY_TABLE;
import static io.glinerspark.spark.delta.EntityTables.ENTITY_TEXT;
import static io.glinerspark.spark.delta.EntityTables.ERROR;
import static io.glinerspark.spark.delta.EntityTables.ERROR_RUN_ID;
import static io.glinerspark.spark.delta.EntityTables.EXTRACTED_AT;
import static io.glinerspark.spark.delta.EntityTables.LABEL;
import static io.glinerspark.spark.delta.EntityTables.LABELS_FINGERPRINT;
import static io.glinerspark.spark.delta.EntityTables.MODEL_ID;
import static io.glinerspark.spark.delta.EntityTables.MODEL_REVISION;
import static io.glinerspark.spark.delta.EntityTables.RESULTS;
import static io.glinerspark.spark.delta.EntityTables.RUN_ID;
import static io.glinerspark.spark.delta.EntityTables.SCORE;
import static io.glinerspark.spark.delta.EntityTables.SOURCE_COLUMN;
import static io.glinerspark.spark.delta.EntityTables.START;
import static io.glinerspark.spark.delta.EntityTables.TEXT_HASH;
import static io.glinerspark.spark.delta.EntityTables.columns;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode_outer;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * Writes extraction results ({@link EntityTables#RESULTS}, one row per document and text column) into Delta: an
 * entities table with one row per entity ({@link EntityTables#ENTITY_TABLE}) and, optionally, a documents table
 * with one row per document and text column, its entities nested ({@link EntityTables#DOCUMENT_TABLE}). The
 * documents table also records which documents were processed, including those with no entity, which is what
 * {@link #unprocessed} reads.
 *
 * <p>A result with an error (NULL entities) never touches the entities stored for its document: in the documents
 * table it sets {@code error} and {@code error_run_id} and keeps the last good result's columns (or NULL ones when
 * there is none), and {@link #unprocessed} treats it as not processed, so the next incremental run retries it.
 *
 * <p>Modes ({@link WriteMode}):
 * <ul>
 *   <li>{@link WriteMode#APPEND}: adds rows; running a batch twice stores it twice, except for stream micro-batches
 *       written with a {@link StreamBatch}, which Delta's idempotent writes store once however often they replay.</li>
 *   <li>{@link WriteMode#MERGE}: idempotent upsert keyed on (doc_id, source_column, model_id). In the entities
 *       table one MERGE deletes every existing row of the batch's keys and inserts the new ones, atomically: a
 *       re-run never duplicates, and entities a changed document no longer has disappear. The documents table is
 *       upserted after it, so a failure between the two only makes an incremental run redo those documents. A
 *       MERGE that loses a race with a concurrent writer is retried ({@link CommitRetry}). When another writer
 *       committed to either table during the write, a last check makes both tables agree for every key of the
 *       batch, whichever writer committed last ({@link TableReconciler}); alone, only the failed keys are checked.
 *       A missing table is created by its first batch's rows.</li>
 *   <li>{@link WriteMode#OVERWRITE}: replaces the tables' contents; not for streams.</li>
 * </ul>
 * A failed or retried Spark task never leaves rows behind: Delta commits a write's files only when its job succeeds.
 */
public final class EntityTableWriter {

    /** Key of a document's results ({@link EntityTables#KEY}). */
    public static final List<String> KEY = EntityTables.KEY;
    /** One row per entity ({@link EntityTables#ENTITY_TABLE}). */
    public static final StructType ENTITY_SCHEMA = ENTITY_TABLE;
    /** One row per document and text column ({@link EntityTables#DOCUMENT_TABLE}). */
    public static final StructType DOCUMENT_TABLE_SCHEMA = DOCUMENT_TABLE;

    private static final String ACTION = "_gliner_action";

    private final DeltaTables tables;
    private final DeltaTarget entities;
    private final DeltaTarget documents;
    private final WriteMode mode;
    private final TableReconciler reconciler;
    private volatile boolean partitioningChecked;
    private WriteSummary written = WriteSummary.NONE;

    /**
     * @param documents   the documents table, or null to write entities only
     * @param partitionBy partition columns; each table is partitioned by those of them it has
     */
    public EntityTableWriter(SparkSession spark, DeltaTarget entities, DeltaTarget documents, WriteMode mode,
                             List<String> partitionBy) {
        Objects.requireNonNull(spark, "spark");
        this.entities = Objects.requireNonNull(entities, "entities");
        this.documents = documents;
        this.mode = Objects.requireNonNull(mode, "mode");
        for (String column : partitionBy) {
            if (!Arrays.asList(ENTITY_TABLE.fieldNames()).contains(column)
                    && !Arrays.asList(DOCUMENT_TABLE.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("partition column '" + column + "' is in neither table; entity table "
                        + "columns: " + Arrays.toString(ENTITY_TABLE.fieldNames()));
            }
        }
        this.tables = new DeltaTables(spark, mode, partitionBy);
        this.reconciler = new TableReconciler(this,
                (keys, documentRows) -> replaceEntitiesOfKeys(keys, entityRows(documentRows)));
    }

    /**
     * Writes one batch of results; {@code results} must have the columns of {@link EntityTables#RESULTS}.
     *
     * @return what the batch stored
     */
    public WriteSummary write(Dataset<Row> results) {
        return write(results, null);
    }

    /**
     * Writes one micro-batch of a stream, or a batch when {@code streamBatch} is null. Appends of a stream batch
     * are idempotent Delta writes; merges need no batch id, a replayed merge changes nothing.
     *
     * @return what the batch stored
     * @throws IllegalArgumentException in {@link WriteMode#OVERWRITE} with a stream batch: each micro-batch would
     *                                  replace the results of the ones before
     */
    public WriteSummary write(Dataset<Row> results, StreamBatch streamBatch) {
        if (streamBatch != null) {
            requireStreamable();
        }
        requirePartitioning();
        Dataset<Row> batch = results.select(columns(RESULTS)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long started = System.nanoTime();
            // The first pass over the batch, which computes it (extraction) and keeps it for the writes.
            WriteSummary summary = summarize(batch);
            long computed = System.nanoTime();
            if (mode != WriteMode.OVERWRITE && summary.documents() == 0) {
                // Nothing to add or replace (e.g. an incremental run with no new documents): no empty commits.
                return summary.timed((computed - started) / 1e9, 0);
            }
            if (mode == WriteMode.MERGE) {
                requireUniqueKeys(batch);
            }
            Dataset<Row> entityRows = entityRows(batch);
            Dataset<Row> documentRows = documentRows(batch);
            switch (mode) {
                case APPEND, OVERWRITE -> {
                    tables.save(entityRows, entities, ENTITY_TABLE, streamBatch);
                    if (documents != null) {
                        tables.save(documentRows, documents, DOCUMENT_TABLE, streamBatch);
                    }
                }
                case MERGE -> {
                    CommitWindow window = new CommitWindow();
                    // A failed result keeps what is stored for its key: only good results replace entities.
                    Dataset<Row> replacedKeys = batch.filter(col(ERROR).isNull()).select(columns(KEY)).distinct();
                    CommitRetry.run("merge into " + entities, () -> replaceEntitiesOfKeys(replacedKeys, entityRows));
                    if (documents != null) {
                        CommitRetry.run("merge into " + documents, () -> upsertDocuments(documentRows));
                        // Alone, this write left its good keys agreeing; a failed key keeps what was stored,
                        // which a writer that died between its two commits may have left disagreeing.
                        boolean alone = window.alone();
                        if (!alone || summary.failed() > 0) {
                            Dataset<Row> checked = alone ? batch.filter(col(ERROR).isNotNull()) : batch;
                            reconciler.reconcile(checked.select(columns(KEY)).distinct());
                        }
                    }
                }
            }
            summary = summary.timed((computed - started) / 1e9, (System.nanoTime() - computed) / 1e9);
            synchronized (this) {
                written = written.plus(summary);
            }
            return summary;
        } finally {
            batch.unpersist();
        }
    }

    /** What every write of this writer stored so far. */
    public synchronized WriteSummary written() {
        return written;
    }

    /**
     * Checks, once per writer, that the tables that exist already are partitioned as this writer's partition columns
     * say; {@link #write} checks it before its first write.
     *
     * @throws IllegalArgumentException naming the table and both lists of columns when they disagree (only when
     *                                  partition columns were given, and not in overwrite mode, which repartitions)
     */
    public void requirePartitioning() {
        if (partitioningChecked) {
            return;
        }
        tables.requirePartitioning(entities, ENTITY_TABLE);
        if (documents != null) {
            tables.requirePartitioning(documents, DOCUMENT_TABLE);
        }
        partitioningChecked = true;
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
        if (!tables.exists(documents)) {
            return candidates;
        }
        List<String> keys = List.of(DOC_ID, SOURCE_COLUMN, MODEL_ID, LABELS_FINGERPRINT, TEXT_HASH);
        Dataset<Row> processed = read(documents).filter(col(ERROR).isNull()).select(columns(keys)).distinct();
        return candidates.join(processed, ScalaSeqs.of(keys), "left_anti");
    }

    /** The session this writer writes with. */
    SparkSession spark() {
        return tables.spark();
    }

    /** The entities target. */
    public DeltaTarget entities() {
        return entities;
    }

    /** The documents target, or null. */
    public DeltaTarget documents() {
        return documents;
    }

    /** Reads a target as a DataFrame; an empty one with the table's schema when the table does not exist yet. */
    public Dataset<Row> read(DeltaTarget target) {
        Dataset<Row> table = tables.read(target, target.equals(entities) ? ENTITY_TABLE : DOCUMENT_TABLE);
        if (target.equals(documents) && !Arrays.asList(table.columns()).contains(ERROR_RUN_ID)) {
            // Written before failed documents recorded their run; the first merge adds the column.
            table = table.withColumn(ERROR_RUN_ID, lit(null).cast(DataTypes.StringType));
        }
        return table;
    }

    private static Dataset<Row> entityRows(Dataset<Row> results) {
        return results.select(col(DOC_ID), col(SOURCE_COLUMN), col(MODEL_ID), col(MODEL_REVISION),
                        col(LABELS_FINGERPRINT), col(RUN_ID), col(EXTRACTED_AT), explode(col(ENTITIES)).as("e"))
                .select(col(DOC_ID), col(SOURCE_COLUMN), col("e.text").as(ENTITY_TEXT), col("e.label").as(LABEL),
                        col("e.start").as(START), col("e.end").as(END), col("e.score").as(SCORE), col(MODEL_ID),
                        col(MODEL_REVISION), col(LABELS_FINGERPRINT), col(RUN_ID), col(EXTRACTED_AT));
    }

    private static Dataset<Row> documentRows(Dataset<Row> batch) {
        Column good = col(ERROR).isNull();
        List<Column> columns = new ArrayList<>();
        for (String name : RESULTS.fieldNames()) {
            boolean resultColumn = !KEY.contains(name) && !name.equals(ERROR);
            columns.add(resultColumn ? when(good, col(name)).as(name) : col(name));
        }
        columns.add(when(good, size(col(ENTITIES))).cast(DataTypes.IntegerType).as(ENTITY_COUNT));
        columns.add(when(col(ERROR).isNotNull(), col(RUN_ID)).as(ERROR_RUN_ID));
        return batch.select(columns.toArray(Column[]::new));
    }

    /**
     * Replaces every stored entity of {@code keys} by {@code entityRows} in one MERGE: its source holds a 'delete'
     * row per key, which matches every stored row of that key, and an 'insert' row per new entity, which never
     * matches, so each key is cleared and refilled atomically.
     */
    private void replaceEntitiesOfKeys(Dataset<Row> keys, Dataset<Row> entityRows) {
        if (!tables.exists(entities)) {
            tables.create(entityRows, entities, ENTITY_TABLE);
            return;
        }
        List<Column> deleteColumns = new ArrayList<>();
        for (StructField field : ENTITY_TABLE.fields()) {
            deleteColumns.add(KEY.contains(field.name()) ? col(field.name())
                    : lit(null).cast(field.dataType()).as(field.name()));
        }
        deleteColumns.add(lit("delete").as(ACTION));
        Dataset<Row> deletes = keys.select(deleteColumns.toArray(Column[]::new));
        Dataset<Row> inserts = entityRows.select(columns(ENTITY_TABLE)).withColumn(ACTION, lit("insert"));
        Dataset<Row> source = deletes.unionByName(inserts);

        Map<String, String> insertValues = new LinkedHashMap<>();
        for (String column : ENTITY_TABLE.fieldNames()) {
            insertValues.put("`" + column + "`", "s.`" + column + "`");
        }
        tables.table(entities).as("t").merge(source.as("s"), "s." + ACTION + " = 'delete' AND " + keyMatch())
                .whenMatched().delete()
                .whenNotMatched("s." + ACTION + " = 'insert'").insertExpr(insertValues)
                .execute();
    }

    private void upsertDocuments(Dataset<Row> documentRows) {
        if (!tables.exists(documents)) {
            tables.create(documentRows, documents, DOCUMENT_TABLE);
            return;
        }
        // Tables written before error_run_id existed gain the column.
        tables.table(documents).as("t").merge(documentRows.as("s"), keyMatch())
                .withSchemaEvolution()
                .whenMatched("s." + ERROR + " IS NULL").updateAll()
                .whenMatched().updateExpr(Map.of(ERROR, "s." + ERROR, ERROR_RUN_ID, "s." + ERROR_RUN_ID))
                .whenNotMatched().insertAll()
                .execute();
    }

    private static String keyMatch() {
        return String.join(" AND ", KEY.stream().map(k -> "t." + k + " = s." + k).toList());
    }

    /**
     * Counts a batch in one job: one row per entity, or one per result without entities (position NULL), grouped by
     * label; a result's first row (position 0 or NULL) counts the result.
     */
    private static WriteSummary summarize(Dataset<Row> batch) {
        Column first = col("pos").isNull().or(col("pos").equalTo(0));
        List<Row> groups = batch.select(col(ERROR), posexplode_outer(col(ENTITIES + ".label")).as(new String[] {"pos", LABEL}))
                .groupBy(LABEL)
                .agg(count(col(LABEL)), count(when(first, lit(1))), count(when(first.and(col(ERROR).isNotNull()), lit(1))))
                .collectAsList();
        Map<String, Long> perLabel = new TreeMap<>();
        long documents = 0;
        long failed = 0;
        for (Row group : groups) {
            if (!group.isNullAt(0)) {
                perLabel.put(group.getString(0), group.getLong(1));
            }
            documents += group.getLong(2);
            failed += group.getLong(3);
        }
        List<String> errors = failed == 0 ? List.of() : batch.filter(col(ERROR).isNotNull())
                .select(DOC_ID, ERROR).limit(WriteSummary.ERRORS_KEPT).collectAsList().stream()
                .map(row -> row.getString(0) + ": " + row.getString(1)).toList();
        return new WriteSummary(documents, failed, perLabel, errors, 0, 0);
    }

    /**
     * The versions of both tables when a merge starts, to tell afterwards whether another writer committed to either
     * while it ran: only then can the two tables disagree on the keys this merge wrote.
     */
    private final class CommitWindow {
        private final long entitiesBefore = tables.version(entities);
        private final long documentsBefore = documents == null ? -1 : tables.version(documents);

        /**
         * Whether the only commits since the window opened are this merge's own, one per table (a merge, or the
         * write that creates a missing table). Needs the documents table.
         */
        boolean alone() {
            return tables.version(entities) == entitiesBefore + 1 && tables.version(documents) == documentsBefore + 1;
        }
    }

    private void requireUniqueKeys(Dataset<Row> batch) {
        List<Row> duplicates = batch.groupBy(columns(KEY)).count().filter(col("count").gt(1)).limit(5).collectAsList();
        if (!duplicates.isEmpty()) {
            List<String> keys = duplicates.stream().map(r -> DOC_ID + "=" + r.get(0) + " " + SOURCE_COLUMN + "="
                    + r.get(1) + " " + MODEL_ID + "=" + r.get(2) + " (" + r.getLong(3) + " times)").toList();
            throw new IllegalArgumentException("merge needs one result per (doc_id, source_column, model_id), but the "
                    + "batch repeats " + String.join("; ", keys) + " (EntityTablePipeline collapses repeated documents "
                    + "before extraction)");
        }
    }
}
