package io.glinerspark.cluster;

import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A driver listener (add it to {@code spark.extraListeners}) that lets a test see how far a job is: it keeps the
 * file named by the system property {@value #FILE} holding {@code documents=<n> executorsRemoved=<m>}, where n
 * is the sum of the {@code gliner: documents} counter over finished tasks and m the executors the driver lost.
 */
public final class ExtractionProgress extends SparkListener {

    static final String FILE = "gliner.faults.progressFile";
    private static final String DOCUMENTS = "gliner: documents";

    private final Path file = Path.of(System.getProperty(FILE));
    private long documents;
    private long executorsRemoved;

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskInfo() == null || !taskEnd.taskInfo().successful()) {
            return;
        }
        for (AccumulableInfo accumulable : CollectionConverters.asJava(taskEnd.taskInfo().accumulables())) {
            if (accumulable.name().isDefined() && accumulable.name().get().equals(DOCUMENTS)
                    && accumulable.update().isDefined()) {
                documents += Long.parseLong(accumulable.update().get().toString());
            }
        }
        publish();
    }

    @Override
    public synchronized void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        executorsRemoved++;
        publish();
    }

    /** Reads the counters a driver published, {@code {0, 0}} before its first. */
    static long[] read(Path file) {
        try {
            if (!Files.exists(file)) {
                return new long[]{0, 0};
            }
            String[] fields = Files.readString(file).trim().split(" ");
            return new long[]{Long.parseLong(fields[0].substring("documents=".length())),
                    Long.parseLong(fields[1].substring("executorsRemoved=".length()))};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void publish() {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, "documents=" + documents + " executorsRemoved=" + executorsRemoved);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
