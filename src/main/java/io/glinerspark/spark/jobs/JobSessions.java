package io.glinerspark.spark.jobs;

import io.glinerspark.spark.sql.GlinerSparkSessionExtensions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of every job the project launches (extraction, SQL, benchmark, evaluation): what spark-submit
 * configured, completed with what the jobs need when it is missing. Delta's extension and catalog (the jobs read
 * and write Delta tables), the SQL functions' extension, a local master on every core so that a job also runs
 * without a cluster, and Delta's log replay spread over no more tasks than there are cores. A setting given
 * explicitly always wins.
 */
public final class JobSessions {

    /** Delta's SQL extension and the project's, as {@code spark.sql.extensions} lists them. */
    public static final String EXTENSIONS = "io.delta.sql.DeltaSparkSessionExtension,"
            + GlinerSparkSessionExtensions.class.getName();
    /** Delta's catalog, so that catalog tables can be Delta tables. */
    public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

    /** Delta's number of tasks that rebuild a table's state from its log after each commit. */
    static final String SNAPSHOT_PARTITIONS = "spark.databricks.delta.snapshotPartitions";
    /** Delta's own default for {@link #SNAPSHOT_PARTITIONS}, kept as the ceiling. */
    private static final int DELTA_SNAPSHOT_PARTITIONS = 50;

    private JobSessions() {
    }

    /**
     * The session for a job, created or, when one is running in this JVM already, that one.
     *
     * @param conf    the job's configuration (spark-submit's, plus the job's own entries); completed in place
     * @param appName the application name unless {@code conf} names one
     */
    public static SparkSession create(SparkConf conf, String appName) {
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.master", "local[*]");
        conf.setIfMissing("spark.sql.extensions", EXTENSIONS);
        conf.setIfMissing("spark.sql.catalog.spark_catalog", DELTA_CATALOG);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        if (spark.conf().getOption(SNAPSHOT_PARTITIONS).isEmpty()) {
            // Every merge rebuilds both tables' state, in 50 tasks by default: on a few cores that is seconds of
            // task overhead per commit for a log of a few files.
            int cores = spark.sparkContext().defaultParallelism();
            spark.conf().set(SNAPSHOT_PARTITIONS, Math.max(1, Math.min(DELTA_SNAPSHOT_PARTITIONS, cores)));
        }
        return spark;
    }
}
