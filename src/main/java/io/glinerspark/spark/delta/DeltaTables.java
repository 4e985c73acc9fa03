package io.glinerspark.spark.delta;

import io.delta.tables.DeltaTable;
import io.glinerspark.settings.WriteMode;
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

    /** The table as a DataFrame; an empty one with {@code schema} when it does not exist yet. */
    Dataset<Row> read(DeltaTarget target, StructType schema) {
        if (!exists(target)) {
            return spark.createDataFrame(List.of(), schema);
        }
        return target.path() != null ? spark.read().format("delta").load(target.path()) : spark.table(target.table());
    }

    /** Appends or overwrites, as the mode says; a stream batch's append is an idempotent Delta write. */
    void save(Dataset<Row> rows, DeltaTarget target, StructType schema, StreamBatch streamBatch) {
        var writer = rows.write().format("delta").mode(mode == WriteMode.OVERWRITE ? SaveMode.Overwrite : SaveMode.Append);
        List<String> partitions = partitionsOf(schema);
        if (!partitions.isEmpty()) {
            writer = writer.partitionBy(partitions.toArray(String[]::new));
        }
        writer = mode == WriteMode.OVERWRITE ? writer.option("overwriteSchema", "true")
                : writer.option("mergeSchema", "true");
        if (streamBatch != null) {
            writer = writer.option("txnAppId", streamBatch.appId()).option("txnVersion", streamBatch.batchId());
        }
        if (target.path() != null) {
            writer.save(target.path());
        } else {
            writer.saveAsTable(target.table());
        }
    }

    /** The table, created empty with {@code schema} when missing. */
    DeltaTable createIfMissing(DeltaTarget target, StructType schema) {
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
            if (CommitRetry.hasErrorClass(e, CommitRetry.TABLE_NOT_FOUND)) {
                throw new CommitRetry.TableBeingCreatedException(target, e);
            }
            throw e;
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
        DeltaTable table = target.path() != null ? DeltaTable.forPath(spark, target.path())
                : DeltaTable.forName(spark, target.table());
        List<String> existing = table.detail().select("partitionColumns").first().getList(0);
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
