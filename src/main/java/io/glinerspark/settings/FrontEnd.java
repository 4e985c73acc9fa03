package io.glinerspark.settings;

/** A way to give settings; each {@link Setting} names the front ends that read it, all under its one name. */
public enum FrontEnd {
    /** {@code spark.gliner.<name>} keys of a Spark configuration (and the extraction job's options file). */
    SPARK_CONF,
    /** The options map of a SQL call of {@code gliner_extract}. */
    SQL_OPTIONS,
    /** The extraction job's options ({@code jobs/extract.sh --<name> value}). */
    EXTRACT_JOB,
    /** The Spark ML Transformer's parameters, and the Python wrapper's. */
    TRANSFORMER,
    /** {@code jobs/gliner.sh extract --<name> value}. */
    CLI_EXTRACT,
    /** {@code jobs/gliner.sh bench --<name> value}. */
    CLI_BENCH,
    /** The Spark benchmark ({@code jobs/bench-spark.sh --<name> value}). */
    SPARK_BENCHMARK,
    /** The evaluation job ({@code jobs/evaluate.sh --<name> value}). */
    EVALUATION
}
