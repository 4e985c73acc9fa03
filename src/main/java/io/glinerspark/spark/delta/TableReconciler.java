package io.glinerspark.spark.delta;

import io.glinerspark.spark.ScalaSeqs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.glinerspark.spark.delta.EntityTables.DOC_ID;
import static io.glinerspark.spark.delta.EntityTables.ENTITY_COUNT;
import static io.glinerspark.spark.delta.EntityTables.EXTRACTED_AT;
import static io.glinerspark.spark.delta.EntityTables.KEY;
import static io.glinerspark.spark.delta.EntityTables.MODEL_ID;
import static io.glinerspark.spark.delta.EntityTables.RUN_ID;
import static io.glinerspark.spark.delta.EntityTables.SOURCE_COLUMN;
import static io.glinerspark.spark.delta.EntityTables.columns;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;

/**
 * Makes the entities table agree with the documents table for the keys of a merged batch. Each table is written
 * atomically, but not both together: when two writers write the same document at once, the entities of one may end
 * up beside the documents row of the other. Every merging writer ends with this check, so whichever commits last,
 * the entities of each key are those its documents row describes (same run, same count).
 */
final class TableReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(TableReconciler.class);

    /** Replaces the stored entities of some keys by those their documents rows describe, in one commit. */
    interface Repair {
        void replace(Dataset<Row> keys, Dataset<Row> documentRows);
    }

    private final EntityTableWriter writer;
    private final Repair repair;

    /** @param writer reads the two tables (its documents table must be set) */
    TableReconciler(EntityTableWriter writer, Repair repair) {
        this.writer = writer;
        this.repair = repair;
    }

    /**
     * Repairs the keys among {@code keys} whose tables disagree until none does.
     *
     * @throws IllegalStateException when they still disagree after {@link CommitRetry#ATTEMPTS} repairs
     */
    void reconcile(Dataset<Row> keys) {
        DeltaTarget entities = writer.entities();
        DeltaTarget documents = writer.documents();
        for (int round = 1; ; round++) {
            Dataset<Row> stale = disagreeingKeys(keys).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                long count = stale.count();
                if (count == 0) {
                    return;
                }
                if (round > CommitRetry.ATTEMPTS) {
                    throw new IllegalStateException("the entities and documents tables (" + entities + ", " + documents
                            + ") still disagree on " + count + " documents after " + CommitRetry.ATTEMPTS
                            + " repairs, e.g. " + stale.first() + "; other writers keep changing them");
                }
                LOG.warn("{} documents of {} changed under a concurrent writer; copying their entities from {}",
                        count, entities, documents);
                CommitRetry.run("repair of " + entities, () -> repair.replace(stale,
                        writer.read(documents).join(stale, ScalaSeqs.of(KEY), "left_semi")));
            } finally {
                stale.unpersist();
            }
        }
    }

    /** The keys whose entity rows are not exactly those the documents row describes (its run and its count). */
    private Dataset<Row> disagreeingKeys(Dataset<Row> keys) {
        Dataset<Row> described = writer.read(writer.documents()).join(keys, ScalaSeqs.of(KEY), "left_semi")
                .select(col(DOC_ID), col(SOURCE_COLUMN), col(MODEL_ID), col(RUN_ID).as("d_run"),
                        col(EXTRACTED_AT).as("d_at"), coalesce(col(ENTITY_COUNT), lit(0)).as("expected"));
        Dataset<Row> stored = writer.read(writer.entities()).join(keys, ScalaSeqs.of(KEY), "left_semi")
                .groupBy(columns(KEY)).agg(count(lit(1)).as("actual"), min(RUN_ID).as("min_run"),
                        max(RUN_ID).as("max_run"), min(EXTRACTED_AT).as("min_at"), max(EXTRACTED_AT).as("max_at"));
        Column agree = coalesce(col("expected"), lit(0)).equalTo(coalesce(col("actual"), lit(0L)))
                .and(col("actual").isNull().or(col("min_run").eqNullSafe(col("d_run"))
                        .and(col("max_run").eqNullSafe(col("d_run")))
                        .and(col("min_at").eqNullSafe(col("d_at"))).and(col("max_at").eqNullSafe(col("d_at")))));
        return described.join(stored, ScalaSeqs.of(KEY), "full_outer").filter(not(agree)).select(columns(KEY));
    }
}
