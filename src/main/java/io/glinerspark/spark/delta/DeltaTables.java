package io.glinerspark.spark.delta;

import io.delta.tables.DeltaTable;
import io.glinerspark.settings.WriteMode;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reading, creating and saving {@link DeltaTarget}s in one {@link WriteMode} with one partitioning: each table is
 * partitioned by those of the partition columns it has.
 */
final class DeltaTables {

    private final SparkSession spark;
    private final WriteMode mode;
    private final List<String> partitionBy;

    DeltaTables(SparkSession spark, WriteMode mode, List<String> partitionBy) {
        this.spark = spark;
        this.mode = mode;
        this.partitionBy = List.copyOf(partitionBy);
    }

    SparkSession spark() {
        return spark;
    }

    boolean exists(DeltaTarget target) {
        return target.path() != null ? DeltaTable.isDeltaTable(spark, target.path())
                : spark.catalog().tableExists(target.table());
    }

    /** The table's latest version (each commit adds one), or -1 when it does not exist yet. */
    long version(DeltaTarget target) {
        if (!exists(target)) {
            return -1;
        }
        return table(target).history(1).select("version").first().getLong(0);
    }

    /** The table as a DataFrame; an empty one with {@code schema} when it does not exist yet. */
    Dataset<Row> read(DeltaTarget target, StructType schema) {
        if (!exists(target)) {
            return spark.createDataFrame(List.of(), schema);
        }
        return target.path() != null ? spark.read().format("delta").load(target.path()) : spark.table(target.table());
    }

    /** Appends or overwrites, as the mode says; a stream batch's append is an idempotent Delta write. */
    void save(Dataset<Row> rows, DeltaTarget target, StructType schema, StreamBatch streamBatch) {
        var writer = writer(rows, schema, mode == WriteMode.OVERWRITE ? SaveMode.Overwrite : SaveMode.Append);
        writer = mode == WriteMode.OVERWRITE ? writer.option("overwriteSchema", "true")
                : writer.option("mergeSchema", "true");
        if (streamBatch != null) {
            writer = writer.option("txnAppId", streamBatch.appId()).option("txnVersion", streamBatch.batchId());
        }
        save(writer, target);
    }

    /**
     * Creates the table with its first rows in one commit. When another writer creates it first, this fails as a
     * lost race ({@link CommitRetry#lostRace}); the retry then finds the table.
     */
    void create(Dataset<Row> rows, DeltaTarget target, StructType schema) {
        save(writer(rows.select(EntityTables.columns(schema)), schema, SaveMode.ErrorIfExists), target);
    }

    /** An existing table. */
    DeltaTable table(DeltaTarget target) {
        return target.path() != null ? DeltaTable.forPath(spark, target.path()) : DeltaTable.forName(spark, target.table());
    }

    private DataFrameWriter<Row> writer(Dataset<Row> rows, StructType schema, SaveMode saveMode) {
        var writer = rows.write().format("delta").mode(saveMode);
        List<String> partitions = partitionsOf(schema);
        return partitions.isEmpty() ? writer : writer.partitionBy(partitions.toArray(String[]::new));
    }

    private static void save(DataFrameWriter<Row> writer, DeltaTarget target) {
        if (target.path() != null) {
            writer.save(target.path());
        } else {
            writer.saveAsTable(target.table());
        }
    }

    /**
     * @throws IllegalArgumentException when the partition columns were given and an existing table is partitioned
     *                                  otherwise than by those of them it has: appends and merges keep a table's
     *                                  partitioning, so the option would be ignored (an overwrite replaces it)
     */
    void requirePartitioning(DeltaTarget target, StructType schema) {
        if (partitionBy.isEmpty() || mode == WriteMode.OVERWRITE || !exists(target)) {
            return;
        }
        List<String> existing = table(target).detail().select("partitionColumns").first().getList(0);
        List<String> wanted = partitionsOf(schema);
        if (!existing.equals(wanted)) {
            throw new IllegalArgumentException("table " + target + " is partitioned by " + existing
                    + ", but the partition columns " + partitionBy + " ask for " + wanted + " on it; " + mode.name().toLowerCase(Locale.ROOT)
                    + " keeps a table's partitioning: give its own partition "
                    + "columns, or write new tables (overwrite mode repartitions)");
        }
    }

    private List<String> partitionsOf(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        return partitionBy.stream().filter(names::contains).toList();
    }
}
