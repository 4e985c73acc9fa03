package io.glinerspark.spark.task;

import io.glinerspark.source.BundleFingerprint;
import io.glinerspark.source.ModelSourceException;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A model folder that exists on the driver, shipped to executors as a broadcast variable: only the files the model
 * uses (configuration, tokenizer, every graph the ONNX file setting takes with its external data: with {@code auto},
 * the CPU graph and the GPU graph, since an executor's device decides which it loads; never the rest of the folder).
 * Executors write it to their local work folder once (whichever task comes first), under its content fingerprint, and
 * every later task of that executor reuses the copy while its files still have that fingerprint (else it is written
 * again); an executor that can read the driver's folder itself (local
 * mode, a shared file system) and finds the same content there uses it directly.
 *
 * <p>Why a broadcast rather than {@code SparkContext.addArchive}: Spark 4 scopes added files to the session that
 * added them and tasks cannot look them up by name from isolated sessions, while broadcasts reach every task of
 * every session. For very large models prefer a Hadoop URI, which executors read directly.
 */
final class ModelShipment implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int CHUNK_BYTES = 64 << 20;
    /** Shipments remembered for reuse; older ones are forgotten (see {@link #SHIPPED}). */
    static final int REMEMBERED = 2;
    /**
     * The most recently used broadcasts, per application and fingerprint, so that a bundle is shipped once while it is
     * in use. A forgotten one is not destroyed: the jobs that carry it keep using it, and Spark cleans it up once no
     * job, plan or Transformer refers to it anymore; a long-lived driver that moves on to new models thus does not keep
     * every old bundle's bytes in its memory.
     */
    private static final Map<String, ModelShipment> SHIPPED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ModelShipment> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * The files of a model folder: relative paths and contents in chunks (a Java array holds at most 2 GB).
     */
    record Contents(List<String> paths, List<List<byte[]>> contents) implements Serializable {
    }

    private final String fingerprint;
    private final String driverFolder;
    private final String onnxFile;
    private final Broadcast<Contents> files;

    private ModelShipment(String fingerprint, String driverFolder, String onnxFile, Broadcast<Contents> files) {
        this.fingerprint = fingerprint;
        this.driverFolder = driverFolder;
        this.onnxFile = onnxFile;
        this.files = files;
    }

    /**
     * Driver side: broadcasts the bundle in {@code folder} for {@code onnxFile} (once per application and content).
     *
     * @throws io.glinerspark.source.ModelSourceException when the folder holds no complete bundle
     */
    static ModelShipment ship(SparkContext context, Path folder, String onnxFile) throws IOException {
        Path root = folder.toRealPath();
        String fingerprint = BundleFingerprint.of(root, onnxFile);
        String key = context.applicationId() + "/" + fingerprint;
        ModelShipment known = remembered(key);
        if (known != null) {
            return known;
        }
        List<String> paths = BundleFingerprint.files(root, onnxFile);
        List<List<byte[]>> contents = new ArrayList<>();
        for (String file : paths) {
            contents.add(read(root.resolve(file)));
        }
        Broadcast<Contents> broadcast = JavaSparkContext.fromSparkContext(context).broadcast(new Contents(paths, contents));
        ModelShipment shipment = new ModelShipment(fingerprint, root.toString(), onnxFile, broadcast);
        synchronized (SHIPPED) {
            SHIPPED.put(key, shipment);
        }
        return shipment;
    }

    private static ModelShipment remembered(String key) {
        synchronized (SHIPPED) {
            return SHIPPED.get(key);
        }
    }

    /** The fingerprints of the shipments this JVM remembers, the least recently used first. */
    static List<String> rememberedFingerprints() {
        synchronized (SHIPPED) {
            return SHIPPED.values().stream().map(ModelShipment::fingerprint).toList();
        }
    }

    /** Executor side: a local folder with the model's files. */
    Path localFolder() {
        Path driverCopy = Path.of(driverFolder);
        try {
            if (Files.isDirectory(driverCopy) && sameContent(driverCopy)) {
                return driverCopy;
            }
            return materialize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the shipped model " + driverFolder + " on this executor", e);
        }
    }

    private boolean sameContent(Path folder) {
        try {
            return fingerprint.equals(BundleFingerprint.of(folder, onnxFile));
        } catch (ModelSourceException e) {
            return false;
        }
    }

    private Path materialize() throws IOException {
        Path target = Path.of(SparkFiles.getRootDirectory(), "gliner-models", fingerprint);
        synchronized (ModelShipment.class) {
            if (Files.isDirectory(target)) {
                if (sameContent(target)) {
                    return target;
                }
                // Files lost or changed since an earlier task wrote them: move the copy aside and write it again.
                Path stale = target.resolveSibling(fingerprint + ".stale-" + UUID.randomUUID());
                Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
                deleteRecursively(stale);
            }
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(fingerprint + ".partial-" + UUID.randomUUID());
            Contents value = files.value();
            for (int i = 0; i < value.paths().size(); i++) {
                Path file = partial.resolve(value.paths().get(i));
                Files.createDirectories(file.getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    for (byte[] chunk : value.contents().get(i)) {
                        out.write(chunk);
                    }
                }
            }
            // Renamed only when complete, so a task never sees a half-written model.
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                byte[] chunk = in.readNBytes(CHUNK_BYTES);
                if (chunk.length == 0) {
                    break;
                }
                chunks.add(chunk);
            }
        }
        return chunks;
    }

    /** The content fingerprint of the shipped files. */
    String fingerprint() {
        return fingerprint;
    }

    /** The relative paths of the shipped files. */
    List<String> shippedFiles() {
        return files.value().paths();
    }
}
