package io.glinerspark.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns a model source into a local folder holding the GLiNER bundle ({@code gliner_config.json},
 * {@code tokenizer.json} and its companions, the ONNX file at the root or under {@code onnx/}). Sources:
 * <ul>
 *   <li>a local folder path or {@code file:} URI: used in place;</li>
 *   <li>{@code "default"}: the model bundled in the jar, copied once into the cache;</li>
 *   <li>{@code hf://owner/name[@revision]}: downloaded from the Hugging Face hub into a hub-style cache
 *       ({@link SourceSettings} for endpoint, token and offline mode);</li>
 *   <li>any other URI ({@code hdfs://}, {@code s3a://}, {@code abfss://}, {@code gs://}, {@code dbfs:/}, ...): read
 *       through Hadoop's FileSystem (which must be on the class path) and copied into the cache.</li>
 * </ul>
 * Remote sources copy only the bundle's files for the chosen ONNX variant (its external-data files included, those
 * the ONNX file names inside itself too). The cache folder holds {@code bundled/<list hash>/},
 * {@code hub/models--owner--name/} (the hub client's layout) and {@code hadoop/<folder name>-<hash of URI, sizes and
 * times>/} (with the copy's fingerprint in {@code hadoop/.verified/}). Each cache entry is written under a temporary
 * name and published by an atomic rename while holding a lock shared by the threads and JVMs of the machine, so
 * concurrent callers never see or produce a half-written model. Cached files are checked before reuse (hub files
 * against the hub's checksums, bundled copies against the jar's list, Hadoop copies against their recorded
 * fingerprint) and fetched again when they fail. The cache folder and its source folders must belong to the user
 * alone ({@link CacheFolders}). Thread-safe.
 */
public final class ModelSources {

    /** The source name of the model bundled in the jar. */
    public static final String DEFAULT_SOURCE = "default";

    /** The ONNX file setting used when the caller names none: the bundle's graph for each device ({@link BundleGraphs}). */
    public static final String DEFAULT_ONNX_FILE = BundleGraphs.AUTO;

    /** Environment variable that overrides {@link #defaultCacheDir()}. */
    public static final String CACHE_ENV = "GLINER_CACHE";

    private static Path jvmTempCache;

    private ModelSources() {
    }

    /**
     * The local folder holding the bundle that {@code source} names, fetching it into {@code cacheDir} first when it is
     * remote or bundled and not cached yet, and the revision the source fetched.
     *
     * @param source   local folder, {@code file:} URI, {@code "default"}, {@code hf://owner/name[@revision]} or a Hadoop URI
     * @param onnxFile the ONNX variant to fetch from a remote source: a file name looked up at the bundle root, then
     *                 under {@code onnx/} (e.g. {@code model_quantized.onnx}), a relative path, or
     *                 {@value BundleGraphs#AUTO} for the CPU graph and the GPU graph beside it when there is one; local
     *                 folders and the bundled model are returned whole
     * @param cacheDir cache root (see {@link #defaultCacheDir()}); created with mode 0700 when missing, refused when
     *                 another user owns it or may write to it (not touched for a local folder source)
     * @param settings hub and Hadoop settings for remote sources
     * @throws ModelSourceException when the source is malformed, missing, unreachable, refused or incomplete
     */
    public static ResolvedModel locate(String source, String onnxFile, Path cacheDir, SourceSettings settings) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(onnxFile, "onnxFile");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(settings, "settings");
        String trimmed = source.strip();
        if (trimmed.isEmpty()) {
            throw new ModelSourceException("model source is empty: name a model folder, a Hadoop URI, an hf:// id or \""
                    + DEFAULT_SOURCE + "\"");
        }
        if (trimmed.equals(DEFAULT_SOURCE)) {
            return new ResolvedModel(BundledModelSource.resolve(BundledModelSource.DEFAULT_RESOURCE_FOLDER,
                    ModelSources.class.getClassLoader(), cacheFolder(cacheDir, "bundled")), null);
        }
        if (HubRepoRef.isHubSource(trimmed)) {
            HubRepoRef ref = HubRepoRef.parse(trimmed);
            BundleFiles.onnxCandidates(onnxFile); // reject a bad file name before touching the cache
            return HuggingFaceSource.resolve(ref, onnxFile, cacheFolder(cacheDir, "hub"), settings);
        }
        Location location = Location.parse(trimmed);
        if (location.isLocal()) {
            return localFolder(trimmed, location::localPath);
        }
        if (!hadoopPresent()) {
            throw new ModelSourceException("model source " + trimmed + " is read through Hadoop's FileSystem, which is not on the "
                    + "class path: run under Spark, add hadoop-client-api and hadoop-client-runtime, or copy the model to a local folder");
        }
        return new ResolvedModel(HadoopFolderSource.resolve(trimmed, onnxFile, cacheFolder(cacheDir, "hadoop"),
                settings.hadoopConf()), null);
    }

    /** The cache root and its sub-folder for one kind of source, both checked to belong to this user alone. */
    private static Path cacheFolder(Path cacheDir, String kind) {
        return CacheFolders.privateFolder(CacheFolders.privateFolder(cacheDir).resolve(kind));
    }

    /**
     * The source that names exactly the bundle {@code source} resolved to: for {@code hf://owner/name[@branch]},
     * {@code hf://owner/name@<commit>}, so that other machines fetch the same commit even after the branch moved on;
     * any other source unchanged.
     */
    public static String pinnedSource(String source, ResolvedModel resolved) {
        String trimmed = source.strip();
        String commit = resolved.revision();
        if (!HubRepoRef.isHubSource(trimmed) || commit == null) {
            return source;
        }
        return HubRepoRef.PREFIX + HubRepoRef.parse(trimmed).repoId() + "@" + commit;
    }

    /**
     * {@code $GLINER_CACHE}; else {@code $XDG_CACHE_HOME/gliner-spark}; else {@code ~/.cache/gliner-spark} when the home
     * folder is writable; else (cluster users often have no home) a fresh private folder made by
     * {@link Files#createTempDirectory} under {@code java.io.tmpdir}, one per JVM and reused for its lifetime: a
     * predictable shared name there could be created first by another user. Such a JVM downloads again what an earlier
     * one fetched; set {@code GLINER_CACHE} to keep the cache between runs.
     */
    public static Path defaultCacheDir() {
        return defaultCacheDir(System::getenv, System.getProperty("user.home"), ModelSources::jvmTempCache);
    }

    static Path defaultCacheDir(Function<String, String> env, String userHome, Supplier<Path> tempCache) {
        String explicit = env.apply(CACHE_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit.strip());
        }
        String xdg = env.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg.strip(), "gliner-spark");
        }
        if (userHome != null && !userHome.isBlank() && Files.isDirectory(Path.of(userHome)) && Files.isWritable(Path.of(userHome))) {
            return Path.of(userHome, ".cache", "gliner-spark");
        }
        return tempCache.get();
    }

    static synchronized Path jvmTempCache() {
        if (jvmTempCache == null) {
            try {
                // On POSIX file systems the folder is created with mode 0700 under a random name.
                jvmTempCache = Files.createTempDirectory("gliner-spark-");
            } catch (IOException e) {
                throw new ModelSourceException("no cache folder: the home folder is not writable and a temporary folder "
                        + "cannot be created (" + e + "); set " + CACHE_ENV + " to a folder of your own", e);
            }
        }
        return jvmTempCache;
    }

    /** A local folder, which may be a hub snapshot that an earlier resolution handed on as a path. */
    private static ResolvedModel localFolder(String source, Supplier<Path> parser) {
        Path folder;
        try {
            folder = parser.get().toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw new ModelSourceException("model source '" + source + "' is not a valid local path or file: URI: " + e.getMessage(), e);
        }
        if (!Files.exists(folder)) {
            throw new ModelSourceException("model folder " + folder + " does not exist (model source '" + source + "')");
        }
        if (!Files.isDirectory(folder)) {
            throw new ModelSourceException("model source " + folder + " is a file, not a folder holding a GLiNER bundle");
        }
        return new ResolvedModel(folder, HuggingFaceSource.commitOfSnapshot(folder));
    }

    private static boolean hadoopPresent() {
        try {
            Class.forName("org.apache.hadoop.fs.FileSystem", false, ModelSources.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
