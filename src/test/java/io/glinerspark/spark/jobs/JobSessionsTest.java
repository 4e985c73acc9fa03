package io.glinerspark.spark.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The job session's completions, on real local sessions. */
@Tag("spark")
class JobSessionsTest {

    @Test
    void deltaLogReplayRunsInAsManyTasksAsThereAreCoresUnlessTold() {
        assertEquals("3", snapshotPartitions(conf("local[3]")));
        assertEquals("7", snapshotPartitions(conf("local[3]").set(JobSessions.SNAPSHOT_PARTITIONS, "7")));
    }

    private static SparkConf conf(String master) {
        return new SparkConf().setMaster(master).set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }

    private static String snapshotPartitions(SparkConf conf) {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkSession spark = JobSessions.create(conf, "job-sessions-test");
        try {
            return spark.conf().get(JobSessions.SNAPSHOT_PARTITIONS);
        } finally {
            spark.stop();
        }
    }
}
