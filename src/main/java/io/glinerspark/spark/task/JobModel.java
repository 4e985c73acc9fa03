package io.glinerspark.spark.task;

import io.glinerspark.GlinerModel;
import io.glinerspark.LabelVectors;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.DeviceSetting;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.source.BundleFingerprint;
import io.glinerspark.source.Location;
import io.glinerspark.source.ModelSources;
import io.glinerspark.source.ResolvedModel;
import io.glinerspark.source.SourceSettings;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.TaskCompletionListener;
import scala.Tuple2;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model of one Spark job: prepared on the driver ({@link #prepare}: source resolved, bundle fingerprinted, a
 * driver folder shipped), serialised with the job's tasks, and loaded where it runs: by tasks on the executors
 * ({@link #get}) or on the driver for the checks made before any task runs ({@link #onDriver}).
 *
 * <p>Where the model comes from decides how it reaches executors:
 * <ul>
 *   <li>{@code default}: bundled in the jar, present everywhere</li>
 *   <li>a URI ({@code hdfs://}, {@code s3a://}, {@code file:/}, {@code hf://} ...): each executor resolves it
 *       itself, once, into its local model cache (the core engine's model sources), with the job's Hadoop settings
 *       (the application's {@code spark.hadoop.*} entries: credentials, {@code fs.*} options); an {@code hf://}
 *       branch is pinned to the commit the driver found</li>
 *   <li>a folder on the driver: shipped with the job ({@link ModelShipment}) and written once per executor</li>
 * </ul>
 * The driver resolves the source too and records the bundle's content fingerprint; every executor checks that the
 * model it loaded has the same fingerprint, so all tasks of a job run one model even if its files change meanwhile.
 * Each executor JVM shares one loaded model per source and device among its tasks ({@link GlinerModel#shared}); a
 * task holds it until the task ends, and a model no task holds is closed once newer models replaced it.
 */
public final class JobModel implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String HADOOP_PREFIX = "spark.hadoop.";
    /** Sources this JVM resolved already, so that tasks do not list or query a remote store each time. */
    private static final Map<List<Object>, Path> RESOLVED = new ConcurrentHashMap<>();
    /** Preparations made in this JVM (each resolves, fingerprints and possibly ships a bundle). */
    private static final AtomicLong PREPARATIONS = new AtomicLong();

    private final ModelOptions options;
    private final String executorSource;
    private final ModelShipment shipment;
    private final String fingerprint;
    private final Map<String, String> hadoopConf;
    /** A bi-encoder's vectors of the job's constant labels, made on the driver; null when there are none. */
    private final Broadcast<LabelVectors> labelVectors;

    private JobModel(ModelOptions options, String executorSource, ModelShipment shipment, String fingerprint,
                     Map<String, String> hadoopConf, Broadcast<LabelVectors> labelVectors) {
        this.options = options;
        this.executorSource = executorSource;
        this.shipment = shipment;
        this.fingerprint = fingerprint;
        this.hadoopConf = hadoopConf;
        this.labelVectors = labelVectors;
    }

    /**
     * Driver side: resolves the model source (a remote one into the driver's model cache), fingerprints the bundle
     * and ships a driver-local model folder with {@code spark}'s jobs when needed.
     *
     * @param options model options; the device may be {@code auto} or {@code cuda} (see {@link TaskDevice})
     * @throws IllegalArgumentException when the source is neither {@code default}, a URI nor a driver folder
     * @throws io.glinerspark.source.ModelSourceException when the source cannot be resolved or is no complete bundle
     */
    public static JobModel prepare(SparkSession spark, ModelOptions options) {
        PREPARATIONS.incrementAndGet();
        Map<String, String> hadoopConf = hadoopSettings(spark);
        String source = options.source();
        if (ModelOptions.DEFAULT_SOURCE.equals(source) || Location.parse(source).isUri()) {
            // Tasks resolve on their own, with the settings this object carries, even in the driver's JVM.
            ResolvedModel resolved = locate(source, options.onnxFile(), hadoopConf);
            String executorSource = ModelSources.pinnedSource(source, resolved);
            return new JobModel(options, executorSource, null,
                    BundleFingerprint.of(resolved.folder(), options.onnxFile()), hadoopConf, null);
        }
        File folder = new File(source);
        if (!folder.isDirectory()) {
            throw new IllegalArgumentException(Spelling.CONF_KEY.of(Settings.MODEL.name()) + ": '" + source
                    + "' is neither 'default', a URI nor a folder on the driver");
        }
        try {
            ModelShipment shipment = ModelShipment.ship(spark.sparkContext(), folder.toPath(), options.onnxFile());
            return new JobModel(options, source, shipment, shipment.fingerprint(), hadoopConf, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ship model folder " + folder + " with the job", e);
        }
    }

    /**
     * Driver side: this model with a bi-encoder's vectors of the job's constant labels ({@link
     * GlinerModel#labelVectors}, made on the driver), broadcast with the job so that executors take them instead of
     * encoding those labels themselves; this model itself when there are no vectors (any other model).
     */
    public JobModel withLabelVectors(SparkSession spark, LabelVectors vectors) {
        if (vectors.isEmpty()) {
            return this;
        }
        return new JobModel(options, executorSource, shipment, fingerprint, hadoopConf,
                JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(vectors));
    }

    /**
     * How many times this JVM prepared a model: a driver that runs one job with one model should prepare it once,
     * however many transforms or micro-batches the job has (reading a large bundle to fingerprint it is not free).
     */
    public static long preparations() {
        return PREPARATIONS.get();
    }

    /** The options as configured (source as given, device unresolved). */
    public ModelOptions options() {
        return options;
    }

    /** The content fingerprint of the bundle the driver resolved; every executor must load the same. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Executor side: a hold on the JVM-wide model for this task's device, loaded on first use. In a task, the hold
     * is given back when the task ends (however it ends); elsewhere the caller closes it.
     *
     * @throws IllegalStateException when this executor's copy of the model is not the bundle the driver resolved
     */
    public GlinerModel get() {
        GlinerModel model = checked(taskOptions());
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> model.close());
        }
        if (labelVectors != null) {
            model.keepLabelVectors(labelVectors.value());
        }
        return model;
    }

    /**
     * Driver side: a hold on the model on the driver's CPU, for the checks made before any task runs; close it
     * after them. The device is the executors' business: a driver without a GPU must not fail a job that requires one
     * on its executors.
     */
    public GlinerModel onDriver() {
        return checked(taskOptions().withDevice(DeviceSetting.CPU, false));
    }

    private GlinerModel checked(ModelOptions taskOptions) {
        GlinerModel model = GlinerModel.shared(taskOptions);
        if (!model.info().fingerprint().equals(fingerprint)) {
            model.close();
            // Resolve afresh next time: a remote source may have been copied before it changed.
            RESOLVED.remove(key(executorSource, options.onnxFile(), hadoopConf));
            throw new IllegalStateException("model " + options.source() + " changed while the job ran: this executor "
                    + "loaded " + taskOptions.source() + " with fingerprint " + model.info().fingerprint()
                    + ", but the driver resolved fingerprint " + fingerprint + "; a job must not change its model's "
                    + "files (write a new model to a new folder, or restart the application after changing it)");
        }
        return model;
    }

    /** The core engine's options for the current task: local source and concrete device. */
    ModelOptions taskOptions() {
        Path folder = shipment != null ? shipment.localFolder()
                : RESOLVED.computeIfAbsent(key(executorSource, options.onnxFile(), hadoopConf),
                        k -> locate(executorSource, options.onnxFile(), hadoopConf).folder());
        return options.withSource(folder.toString())
                .withDevice(TaskDevice.resolve(options.device()), options.requireDevice());
    }

    private static ResolvedModel locate(String source, String onnxFile, Map<String, String> hadoopConf) {
        return ModelSources.locate(source, onnxFile, ModelSources.defaultCacheDir(),
                SourceSettings.fromEnvironment().withHadoopConf(hadoopConf));
    }

    private static List<Object> key(String source, String onnxFile, Map<String, String> hadoopConf) {
        return List.of(source, onnxFile, hadoopConf);
    }

    /** The application's {@code spark.hadoop.*} settings as Hadoop keys, as Spark itself gives them to Hadoop. */
    private static Map<String, String> hadoopSettings(SparkSession spark) {
        Map<String, String> settings = new TreeMap<>();
        for (Tuple2<String, String> entry : spark.sparkContext().getConf().getAll()) {
            if (entry._1().startsWith(HADOOP_PREFIX) && entry._1().length() > HADOOP_PREFIX.length()) {
                settings.put(entry._1().substring(HADOOP_PREFIX.length()), entry._2());
            }
        }
        return settings;
    }
}
