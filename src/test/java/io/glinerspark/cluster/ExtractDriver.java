package io.glinerspark.cluster;

import io.glinerspark.spark.jobs.ExtractJob;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Launches the extraction job against a {@link StandaloneCluster} the way spark-submit does in client mode: a
 * driver JVM running Spark's SparkSubmit with {@link ExtractJob}, its class path the cluster's {@code jars/} plus
 * the test classes (the fault-injection hooks live there and run in the driver only).
 */
final class ExtractDriver {

    private final StandaloneCluster cluster;
    private final String name;
    private final List<String> jobArguments = new ArrayList<>();
    private final Map<String, String> sparkConf = new LinkedHashMap<>();
    private String mainClass = ExtractJob.class.getName();
    private final List<String> systemProperties = new ArrayList<>();

    private ExtractDriver(StandaloneCluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
        Path tmp = cluster.root().resolve("tmp");
        sparkConf.put("spark.ui.enabled", "false");
        sparkConf.put("spark.driver.host", "127.0.0.1");
        sparkConf.put("spark.driver.bindAddress", "127.0.0.1");
        sparkConf.put("spark.executor.memory", "640m");
        sparkConf.put("spark.executor.cores", "1");
        sparkConf.put("spark.cores.max", "2");
        sparkConf.put("spark.executor.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dai.djl.offline=true"
                + " -Djava.io.tmpdir=" + tmp);
        sparkConf.put("spark.sql.shuffle.partitions", "2");
        sparkConf.put("spark.databricks.delta.snapshotPartitions", "1");
        // Tasks of a lost executor go to the survivor at once instead of waiting for their preferred location.
        sparkConf.put("spark.locality.wait", "0s");
        sparkConf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension,"
                + "io.glinerspark.spark.sql.GlinerSparkSessionExtensions," + FaultInjection.class.getName());
        sparkConf.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        systemProperties.add("-Djava.io.tmpdir=" + tmp);
        systemProperties.add("-Dai.djl.offline=true");
    }

    /** A driver named {@code name} (its log file is {@code logs/<name>.log} under the cluster's folder). */
    static ExtractDriver named(StandaloneCluster cluster, String name) {
        return new ExtractDriver(cluster, name);
    }

    /** Job options, e.g. {@code --input}, {@code --output}. */
    ExtractDriver args(String... arguments) {
        jobArguments.addAll(List.of(arguments));
        return this;
    }

    ExtractDriver args(List<String> arguments) {
        jobArguments.addAll(arguments);
        return this;
    }

    /** Another of the project's jobs instead of the extraction job, e.g. the evaluation job. */
    ExtractDriver mainClass(Class<?> job) {
        mainClass = job.getName();
        return this;
    }

    /** A Spark configuration entry (replaces the default of the same key). */
    ExtractDriver conf(String key, String value) {
        sparkConf.put(key, value);
        return this;
    }

    /** A system property of the driver JVM (how the fault-injection hooks are armed). */
    ExtractDriver systemProperty(String key, String value) {
        systemProperties.add("-D" + key + "=" + value);
        return this;
    }

    /** Publishes the job's progress to {@code file} (see {@link ExtractionProgress}). */
    ExtractDriver progressTo(Path file) {
        sparkConf.put("spark.extraListeners", ExtractionProgress.class.getName());
        return systemProperty(ExtractionProgress.FILE, file.toString());
    }

    ChildJvm start() {
        String testClasses = Path.of(ExtractDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        List<String> command = ChildJvm.javaCommand(cluster.classpath() + ":" + testClasses, "1g", systemProperties,
                "org.apache.spark.deploy.SparkSubmit");
        command.addAll(List.of("--master", cluster.masterUrl(), "--deploy-mode", "client", "--name", name,
                "--class", mainClass));
        sparkConf.forEach((key, value) -> command.addAll(List.of("--conf", key + "=" + value)));
        command.add("spark-internal");
        command.addAll(jobArguments);
        return ChildJvm.start(name, command, cluster.environment(), cluster.root().resolve("logs/" + name + ".log"));
    }
}
