package io.glinerspark.spark.task;

import io.glinerspark.ModelInfo;
import org.apache.spark.SparkEnv;
import org.apache.spark.util.AccumulatorV2;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts extraction tasks per executor and the device its model actually runs on. The driver alone cannot know:
 * each executor JVM loads its own model, and one without a usable GPU falls back to the CPU on its own.
 */
final class ExecutorDevices extends AccumulatorV2<ExecutorDevices.Use, Map<ExecutorDevices.Use, Long>> {

    private static final long serialVersionUID = 1L;

    /**
     * Where one executor's model runs.
     *
     * @param executor       Spark's executor id ({@code driver} in local mode)
     * @param host           the executor's host name
     * @param device         the device the model got ({@code cpu}, {@code cuda:N})
     * @param fallbackReason why the requested device was not used, or null when it was
     */
    record Use(String executor, String host, String device, String fallbackReason) implements Serializable {

        /** Looked up once per JVM: a slow resolver must not cost every task. */
        private static final String HOST = hostName();

        /** This JVM's executor and the device of {@code model}. */
        static Use current(ModelInfo model) {
            SparkEnv env = SparkEnv.get();
            return new Use(env == null ? "?" : env.executorId(), HOST, model.device(), model.deviceFallback());
        }

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "?";
            }
        }
    }

    private final Map<Use, Long> tasks = new LinkedHashMap<>();

    @Override
    public synchronized boolean isZero() {
        return tasks.isEmpty();
    }

    @Override
    public synchronized ExecutorDevices copy() {
        ExecutorDevices copy = new ExecutorDevices();
        copy.tasks.putAll(tasks);
        return copy;
    }

    @Override
    public synchronized void reset() {
        tasks.clear();
    }

    /** Counts one task. */
    @Override
    public synchronized void add(Use use) {
        tasks.merge(use, 1L, Long::sum);
    }

    @Override
    public void merge(AccumulatorV2<Use, Map<Use, Long>> other) {
        Map<Use, Long> counts = other.value();
        synchronized (this) {
            counts.forEach((use, n) -> tasks.merge(use, n, Long::sum));
        }
    }

    /** Tasks per executor and device, in the order they were first reported. */
    @Override
    public synchronized Map<Use, Long> value() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    }
}
