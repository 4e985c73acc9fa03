package io.glinerspark.spark;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

/**
 * Writes extraction results ({@link DocumentResults#SCHEMA}, one row per document and text column) into Delta:
 * an entities table with one row per entity ({@link #ENTITY_SCHEMA}) and, optionally, a documents table with one
 * row per document and text column, its entities nested ({@link DocumentResults#SCHEMA} plus {@code entity_count}).
 * The documents table also records which documents were processed, including those with no entity, which is what
 * {@link #unprocessed} reads.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@link Mode#APPEND}: adds rows; running a batch twice stores it twice.</li>
 *   <li>{@link Mode#MERGE}: idempotent upsert keyed on (doc_id, source_column, model_id). In the entities table one
 *       MERGE deletes every existing row of the batch's keys and inserts the new ones, atomically: a re-run never
 *       duplicates, and entities a changed document no longer has disappear. The documents table is upserted
 *       after it, so a failure between the two only makes an incremental run redo those documents.</li>
 *   <li>{@link Mode#OVERWRITE}: replaces the tables' contents.</li>
 * </ul>
 * A failed or retried Spark task never leaves rows behind: Delta commits a write's files only when its job succeeds.
 */
public final class EntityTableWriter {

    /** How a batch of results meets the rows already in the tables. */
    public enum Mode {
        APPEND, MERGE, OVERWRITE;

        /** Parses {@code append}, {@code merge} or {@code overwrite}, naming {@code setting} when it is none. */
        public static Mode parse(String value, String setting) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + ": expected append, merge or overwrite, got '" + value + "'");
            }
        }
    }

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

        /** A path when {@code value} holds a {@code /} or a URI scheme, else a catalog table name. */
        public static Target parse(String value) {
            return value.contains("/") || value.contains(":") ? path(value) : table(value);
        }

        @Override
        public String toString() {
            return path != null ? path : table;
        }
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

    /** One row per document and text column. */
    public static final StructType DOCUMENT_TABLE_SCHEMA =
            DocumentResults.SCHEMA.add("entity_count", DataTypes.IntegerType, true);

    private static final String ACTION = "_gliner_action";

    private final SparkSession spark;
    private final Target entities;
    private final Target documents;
    private final Mode mode;
    private final List<String> partitionBy;

    /**
     * @param documents   the documents table, or null to write entities only
     * @param partitionBy partition columns; each table is partitioned by those of them it has
     */
    public EntityTableWriter(SparkSession spark, Target entities, Target documents, Mode mode, List<String> partitionBy) {
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
        Dataset<Row> batch = results.select(columns(DocumentResults.SCHEMA)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (mode != Mode.OVERWRITE && batch.isEmpty()) {
                // Nothing to add or replace (e.g. an incremental run with no new documents): no empty commits.
                return;
            }
            if (mode == Mode.MERGE) {
                requireUniqueKeys(batch);
            }
            Dataset<Row> entityRows = entityRows(batch);
            Dataset<Row> documentRows = batch.withColumn("entity_count",
                    org.apache.spark.sql.functions.size(col("entities")).cast(DataTypes.IntegerType))
                    .select(columns(DOCUMENT_TABLE_SCHEMA));
            switch (mode) {
                case APPEND, OVERWRITE -> {
                    save(entityRows, entities, ENTITY_SCHEMA);
                    if (documents != null) {
                        save(documentRows, documents, DOCUMENT_TABLE_SCHEMA);
                    }
                }
                case MERGE -> {
                    // Into a table that does not exist yet, a merge is a plain write (and much cheaper).
                    if (exists(entities)) {
                        replaceEntitiesOfKeys(batch, entityRows);
                    } else {
                        save(entityRows, entities, ENTITY_SCHEMA);
                    }
                    if (documents != null && exists(documents)) {
                        upsertDocuments(documentRows);
                    } else if (documents != null) {
                        save(documentRows, documents, DOCUMENT_TABLE_SCHEMA);
                    }
                }
            }
        } finally {
            batch.unpersist();
        }
    }

    /**
     * The candidates not yet in the documents table with the same text, model and labels: {@code candidates} needs
     * the columns doc_id, source_column, text_hash, model_id and labels_fingerprint. All candidates when the
     * documents table does not exist yet.
     */
    public Dataset<Row> unprocessed(Dataset<Row> candidates) {
        if (documents == null) {
            throw new IllegalStateException("incremental extraction needs a documents table");
        }
        if (!exists(documents)) {
            return candidates;
        }
        List<String> keys = List.of("doc_id", "source_column", "model_id", "labels_fingerprint", "text_hash");
        Dataset<Row> processed = read(documents).select(keys.stream().map(k -> col(k)).toArray(Column[]::new)).distinct();
        return candidates.join(processed, ScalaSeqs.of(keys), "left_anti");
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
        return target.path() != null ? spark.read().format("delta").load(target.path()) : spark.table(target.table());
    }

    private static Dataset<Row> entityRows(Dataset<Row> batch) {
        return batch.select(col("doc_id"), col("source_column"), col("model_id"), col("model_revision"),
                        col("labels_fingerprint"), col("run_id"), col("extracted_at"), explode(col("entities")).as("e"))
                .select(col("doc_id"), col("source_column"), col("e.text").as("entity_text"), col("e.label").as("label"),
                        col("e.start").as("start"), col("e.end").as("end"), col("e.score").as("score"), col("model_id"),
                        col("model_revision"), col("labels_fingerprint"), col("run_id"), col("extracted_at"));
    }

    private void replaceEntitiesOfKeys(Dataset<Row> batch, Dataset<Row> entityRows) {
        DeltaTable table = createIfMissing(entities, ENTITY_SCHEMA);
        // One source holds a 'delete' row per key, which matches every stored row of that key, and an 'insert' row
        // per new entity, which never matches: one MERGE both clears and refills each key, atomically.
        List<Column> deleteColumns = new ArrayList<>();
        for (StructField field : ENTITY_SCHEMA.fields()) {
            deleteColumns.add(KEY.contains(field.name()) ? col(field.name())
                    : lit(null).cast(field.dataType()).as(field.name()));
        }
        deleteColumns.add(lit("delete").as(ACTION));
        Dataset<Row> deletes = batch.select(columns(KEY)).distinct().select(deleteColumns.toArray(Column[]::new));
        Dataset<Row> inserts = entityRows.withColumn(ACTION, lit("insert"));
        Dataset<Row> source = deletes.unionByName(inserts);

        String keyMatch = String.join(" AND ", KEY.stream().map(k -> "t." + k + " = s." + k).toList());
        Map<String, String> insertValues = new LinkedHashMap<>();
        for (String column : ENTITY_SCHEMA.fieldNames()) {
            insertValues.put("`" + column + "`", "s.`" + column + "`");
        }
        table.as("t").merge(source.as("s"), "s." + ACTION + " = 'delete' AND " + keyMatch)
                .whenMatched().delete()
                .whenNotMatched("s." + ACTION + " = 'insert'").insertExpr(insertValues)
                .execute();
    }

    private void upsertDocuments(Dataset<Row> documentRows) {
        DeltaTable table = createIfMissing(documents, DOCUMENT_TABLE_SCHEMA);
        String keyMatch = String.join(" AND ", KEY.stream().map(k -> "t." + k + " = s." + k).toList());
        table.as("t").merge(documentRows.as("s"), keyMatch)
                .whenMatched().updateAll()
                .whenNotMatched().insertAll()
                .execute();
    }

    private void requireUniqueKeys(Dataset<Row> batch) {
        List<Row> duplicates = batch.groupBy(columns(KEY)).count().filter(col("count").gt(1)).limit(5).collectAsList();
        if (!duplicates.isEmpty()) {
            List<String> keys = duplicates.stream().map(r -> "doc_id=" + r.get(0) + " source_column=" + r.get(1)
                    + " model_id=" + r.get(2) + " (" + r.getLong(3) + " times)").toList();
            throw new IllegalArgumentException("merge needs one result per (doc_id, source_column, model_id), but the "
                    + "batch repeats " + String.join("; ", keys) + ": make the id column unique or derive ids from the text");
        }
    }

    private void save(Dataset<Row> rows, Target target, StructType schema) {
        var writer = rows.write().format("delta").mode(mode == Mode.OVERWRITE ? SaveMode.Overwrite : SaveMode.Append);
        List<String> partitions = partitionsOf(schema);
        if (!partitions.isEmpty()) {
            writer = writer.partitionBy(partitions.toArray(String[]::new));
        }
        if (mode == Mode.OVERWRITE) {
            writer = writer.option("overwriteSchema", "true");
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
        return builder.execute();
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
