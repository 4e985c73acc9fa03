package io.glinerspark.spark;

import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * How a task finds its model: the serialisable half that travels with the job, and the executor-side lookup.
 *
 * <p>Where the model comes from decides how it reaches executors:
 * <ul>
 *   <li>{@code default}: bundled in the jar, present everywhere</li>
 *   <li>a URI ({@code hdfs://}, {@code s3a://}, {@code file:/}, {@code hf://} ...): each executor resolves it
 *       itself, once, into its local model cache (the core engine's model sources)</li>
 *   <li>a folder on the driver: shipped with the job ({@link ModelShipment}) and written once per executor</li>
 * </ul>
 * Each executor JVM keeps one loaded model per source and device ({@link GlinerModel#shared}); tasks never load
 * or close it.
 */
public final class ExecutorModel implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

    private final ModelOptions options;
    private final ModelShipment shipment;

    private ExecutorModel(ModelOptions options, ModelShipment shipment) {
        this.options = options;
        this.shipment = shipment;
    }

    /**
     * Driver side: ships a driver-local model folder with {@code spark}'s jobs when needed.
     *
     * @param options model options; the device may be {@code auto} or {@code cuda} (see {@link TaskDevice})
     */
    public static ExecutorModel prepare(SparkSession spark, ModelOptions options) {
        String source = options.source();
        if (ModelOptions.DEFAULT_SOURCE.equals(source) || URI_SCHEME.matcher(source).matches()) {
            return new ExecutorModel(options, null);
        }
        File folder = new File(source);
        if (!folder.isDirectory()) {
            throw new IllegalArgumentException(GlinerConf.PREFIX + GlinerConf.MODEL + ": '" + source
                    + "' is neither 'default', a URI nor a folder on the driver");
        }
        try {
            return new ExecutorModel(options, ModelShipment.ship(spark.sparkContext(), folder.toPath()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ship model folder " + folder + " with the job", e);
        }
    }

    /** The options as configured (source as given, device unresolved). */
    public ModelOptions options() {
        return options;
    }

    /** Executor side: the JVM-wide model for this task's device, loaded on first use. */
    public GlinerModel get() {
        return GlinerModel.shared(taskOptions());
    }

    /** The core engine's options for the current task: local source and concrete device. */
    ModelOptions taskOptions() {
        String source = shipment == null ? options.source() : shipment.localFolder().toString();
        return options.withSource(source).withDevice(TaskDevice.resolve(options.device()), options.requireDevice());
    }
}
