package io.glinerspark.spark.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.math.BigInt;

/**
 * How a batch job spreads its input over the cluster. Spark splits input files by bytes (4 to 128 MB a partition, a
 * gzipped file always one), while the model spends milliseconds on every few hundred bytes: one file of thousands of
 * documents would be one task on one core while the others idle. Unless the job's {@code partitions} is set, an input
 * read in fewer partitions is dealt round-robin into {@value #TASKS_PER_CORE} per core of the application: every core
 * gets work, and tasks of hundreds of documents of mixed length each take about as long as the others, with a few to
 * spare so that a slow or lost task does not hold the job up alone. A small input gets fewer, one per
 * {@value #MIN_TASK_BYTES} bytes of Spark's estimate of its size (no data is read for it): below that, another task
 * costs more than it saves. An input already split finer is left as it is (no shuffle).
 *
 * @param partitions the partitions the extraction runs on
 * @param input      the partitions the input was read in
 * @param reason     how {@code partitions} was chosen, for the job's output
 */
record WorkPartitions(int partitions, int input, String reason) {

    /** Tasks per core when the job chooses: enough for every core to stay busy to the end of the job. */
    static final int TASKS_PER_CORE = 3;
    /** Input bytes a task gets at least: a few dozen documents. */
    static final long MIN_TASK_BYTES = 32 * 1024;

    /**
     * The partitions for {@code documents}.
     *
     * @param configured the job's {@code partitions}, or null to choose by the cores and the input's size
     * @param cores      the cores the application has ({@code defaultParallelism})
     */
    static WorkPartitions of(Dataset<Row> documents, Integer configured, int cores) {
        int input = documents.rdd().getNumPartitions();
        if (configured != null) {
            return new WorkPartitions(configured, input, "set");
        }
        int perCores = TASKS_PER_CORE * Math.max(1, cores);
        BigInt size = documents.queryExecution().optimizedPlan().stats().sizeInBytes();
        long bytes = size.isValidLong() ? size.longValue() : Long.MAX_VALUE;
        int wanted = (int) Math.max(1, Math.min(perCores, bytes / MIN_TASK_BYTES));
        if (input >= wanted) {
            return new WorkPartitions(input, input, "as read");
        }
        return new WorkPartitions(wanted, input, wanted == perCores ? TASKS_PER_CORE + " per core of " + cores
                : "one per " + MIN_TASK_BYTES / 1024 + " KB of input");
    }

    /** {@code documents} on these partitions: repartitioned when the count differs from the input's. */
    Dataset<Row> apply(Dataset<Row> documents) {
        return partitions == input ? documents : documents.repartition(partitions);
    }

    /** The job's output line, e.g. {@code 6 (3 per core of 2; input 1)}. */
    String describe() {
        return partitions + " (" + reason + (partitions == input ? ")" : "; input " + input + ")");
    }
}
