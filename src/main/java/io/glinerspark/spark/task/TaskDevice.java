package io.glinerspark.spark.task;

import io.glinerspark.DeviceSetting;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Chooses the device a task's model runs on. With GPU scheduling ({@code spark.task.resource.gpu.amount}), Spark
 * gives each task GPU addresses; binding the session to that address (not always GPU 0) is what spreads the
 * executors of a multi-GPU node over its GPUs.
 *
 * <ul>
 *   <li>{@code auto}: the task's GPU when Spark assigned one, else CPU</li>
 *   <li>{@code cuda}: the task's GPU when Spark assigned one, else GPU 0</li>
 *   <li>{@code cuda:N}: GPU N, whatever Spark assigned</li>
 *   <li>{@code cpu}: CPU</li>
 * </ul>
 */
public final class TaskDevice {

    private TaskDevice() {
    }

    /** The one device ({@code cpu}, {@code cuda:N}) that {@code configured} means in the current task. */
    public static DeviceSetting resolve(DeviceSetting configured) {
        return resolve(configured, assignedGpu());
    }

    /** The one device that {@code configured} means when Spark assigned GPU {@code assigned} (null: none). */
    static DeviceSetting resolve(DeviceSetting configured, String assigned) {
        return DeviceSetting.of(configured.resolve(assigned));
    }

    /** The first GPU address Spark assigned to the running task, or null outside a task or without GPUs. */
    static String assignedGpu() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return null;
        }
        ResourceInformation gpu = task.resourcesJMap().get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return null;
        }
        return gpu.addresses()[0];
    }
}
