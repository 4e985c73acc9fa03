package io.glinerspark.spark.jobs;

import io.glinerspark.spark.sql.GlinerSparkSessionExtensions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of every job the project launches (extraction, SQL, benchmark, evaluation): what spark-submit
 * configured, completed with what the jobs need when it is missing. Delta's extension and catalog (the jobs read
 * and write Delta tables), the SQL functions' extension, and a local master on every core so that a job also runs
 * without a cluster. A setting given explicitly always wins.
 */
public final class JobSessions {

    /** Delta's SQL extension and the project's, as {@code spark.sql.extensions} lists them. */
    public static final String EXTENSIONS = "io.delta.sql.DeltaSparkSessionExtension,"
            + GlinerSparkSessionExtensions.class.getName();
    /** Delta's catalog, so that catalog tables can be Delta tables. */
    public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

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
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
