package io.glinerspark;

import io.glinerspark.bundle.GlinerConfig;
import io.glinerspark.bundle.ModelBundle;
import io.glinerspark.encode.GlinerTokenizer;
import io.glinerspark.encode.PromptEncoder;
import io.glinerspark.runtime.Device;
import io.glinerspark.runtime.InferenceSession;
import io.glinerspark.runtime.SessionCache;
import io.glinerspark.runtime.SessionSpec;
import io.glinerspark.source.BundleFingerprint;
import io.glinerspark.source.ModelSourceException;
import io.glinerspark.source.ModelSources;
import io.glinerspark.source.ResolvedModel;
import io.glinerspark.source.SourceSettings;
import io.glinerspark.text.WordSplitter;
import io.glinerspark.types.Entity;
import io.glinerspark.types.InferenceException;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;
import io.glinerspark.types.ModelLoadException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loaded GLiNER model: the public entry point of the core engine. Thread-safe; close it when done. An instance from
 * {@link #shared(ModelOptions)} is a hold on a model the JVM shares: closing it gives the hold back, and the model
 * itself is closed once nobody holds it and it is no longer among the {@value #SHARED_CAPACITY} most recently
 * acquired shared models.
 *
 * <p>Texts are split into words, windowed when longer than the model's window, batched by padded size with
 * other texts of the same call, run through the graph and decoded exactly as the reference library decodes them.
 *
 * <p>A label list whose prompt leaves no room for text (hundreds of labels) goes beyond the reference: it is split
 * into consecutive slices whose prompts take at most half the model's positions, each slice runs over the texts, and
 * their candidates (labels in the order given) meet in one greedy selection per text, with the same thresholds and
 * flat, nested and multi-label rules. Labels attend to each other in the encoder, so the scores of a split list can
 * differ from those one prompt with all labels would give. A list that fits one prompt runs exactly as the reference.
 *
 * <p>A bi-encoder model (its config names a {@code labels_encoder}) has no label prompt: its labels are embedded once
 * each by the label encoder and kept ({@link LabelEncoder}), its texts take the whole window, and a list of any size
 * runs in one piece, each span scored against every label vector.
 *
 * <p>Every method that takes a label list also takes a {@link LabelSet}, whose labels may carry descriptions: the
 * prompt then holds each description in place of its label (as the reference does for a mapping of label to
 * description), its sub-tokens count where the label's would, and the entities keep the label. A list is the set of
 * those labels without descriptions.
 */
public final class GlinerModel implements AutoCloseable {

    /**
     * Shared models kept loaded while nobody holds them: the current model and the one before it, so that a
     * long-lived process that switches models keeps neither all of its old models nor reloads on every switch.
     */
    public static final int SHARED_CAPACITY = 2;
    private static final SharedModels SHARED = new SharedModels(SHARED_CAPACITY, GlinerModel::load);

    private final ModelOptions options;
    private final ModelInfo info;
    private final GlinerConfig config;
    private final GlinerTokenizer tokenizer;
    private final PromptEncoder encoder;
    private final ModelGraph graph;
    /** For a hold on a shared model: gives the hold back; null for a model that owns its resources. */
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GlinerModel(ModelOptions options, ModelInfo info, GlinerConfig config, GlinerTokenizer tokenizer,
                        PromptEncoder encoder, ModelGraph graph, Runnable release) {
        this.options = options;
        this.info = info;
        this.config = config;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.graph = graph;
        this.release = release;
    }

    /**
     * Loads a model; the ONNX Runtime session is shared with every other model of equal options in this JVM.
     *
     * @throws ModelLoadException when the bundle, its tokenizer or its graph is missing or not a supported GLiNER
     *                            export, or a required device is unavailable
     */
    public static GlinerModel load(ModelOptions options) {
        ResolvedModel resolved = resolve(options);
        ModelBundle bundle = ModelBundle.open(resolved.folder(), options.onnxFile());
        Device device = options.device().resolve(null);
        // A CUDA request that falls back to the CPU loads the CPU graph: the spec carries both.
        SessionSpec spec = new SessionSpec(bundle.graphFor(device.cuda()), bundle.graphFor(false), device,
                options.requireDevice(), options.intraOpThreads());
        // Before ONNX Runtime reads the graph: this also refuses external data that would lie outside the bundle.
        String fingerprint = fingerprintOf(bundle.root(), options.onnxFile());
        GlinerTokenizer tokenizer = loadTokenizer(bundle.tokenizer());
        InferenceSession session = null;
        LabelEncoder labelEncoder = null;
        try {
            GlinerConfig config = bundle.config();
            if (!config.biEncoder()) {
                // A bi-encoder's texts hold no prompt: its markers and class_token_index (-1 in the reference's
                // bi-encoder configs) are never used.
                bundle.checkTokenizer(tokenizer::tokenId);
            }
            PromptEncoder encoder = config.biEncoder() ? PromptEncoder.wordsOnly(tokenizer)
                    : new PromptEncoder(tokenizer, config.entToken(), config.sepToken());
            if (config.biEncoder()) {
                labelEncoder = openLabelEncoder(bundle, spec);
            }
            session = SessionCache.acquire(spec);
            ModelGraph graph = ModelGraph.open(session, config, encoder, labelEncoder);
            // The revision the source fetched (a hub commit) is exact; else the bundle's own version, if it states one.
            String revision = resolved.revision() != null ? resolved.revision() : config.modelVersion();
            ModelInfo info = new ModelInfo(options.source(), revision, readableName(config),
                    fingerprint,
                    bundle.root().toAbsolutePath().normalize().relativize(session.modelFile()).toString(),
                    config.spanMode(), config.maxLen(), config.maxWidth(), config.positionLimit(), config.fixture(), session.device().toString(),
                    session.fallbackReason());
            return new GlinerModel(options.withBudgetsFor(session.device().cuda()), info, config, tokenizer, encoder,
                    graph, null);
        } catch (RuntimeException e) {
            if (session != null) {
                SessionCache.release(session);
            }
            closeLabelEncoder(labelEncoder);
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The label side of a bi-encoder: its own tokenizer and graph, on the device the text graph asks for (the label
     * encoder has one graph for every device).
     */
    private static LabelEncoder openLabelEncoder(ModelBundle bundle, SessionSpec textSpec) {
        GlinerTokenizer labelsTokenizer = loadTokenizer(bundle.labelsTokenizer());
        InferenceSession session = null;
        try {
            session = SessionCache.acquire(new SessionSpec(bundle.labelsGraph(), textSpec.device(),
                    textSpec.requireDevice(), textSpec.intraOpThreads()));
            return LabelEncoder.open(labelsTokenizer, session, bundle.config().labelPositionLimit());
        } catch (RuntimeException e) {
            if (session != null) {
                SessionCache.release(session);
            }
            labelsTokenizer.close();
            throw e;
        }
    }

    private static void closeLabelEncoder(LabelEncoder labelEncoder) {
        if (labelEncoder != null) {
            SessionCache.release(labelEncoder.session());
            labelEncoder.close();
        }
    }

    /**
     * A hold on the JVM-wide model for these options, loaded on first use (one session per executor JVM in Spark);
     * close the hold when done with it. Every hold shares the model's tokenizer and session.
     *
     * @throws ModelLoadException as {@link #load}
     */
    public static GlinerModel shared(ModelOptions options) {
        return SHARED.acquire(options);
    }

    /** A view of this model whose {@link #close()} runs {@code release} instead of closing the model. */
    GlinerModel hold(Runnable release) {
        return new GlinerModel(options, info, config, tokenizer, encoder, graph, release);
    }

    private static GlinerTokenizer loadTokenizer(Path file) {
        try {
            return GlinerTokenizer.load(file);
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** The local bundle folder of a source, fetched into the shared model cache when it is remote. */
    private static ResolvedModel resolve(ModelOptions options) {
        try {
            return ModelSources.locate(options.source(), options.onnxFile(), ModelSources.defaultCacheDir(),
                    SourceSettings.fromEnvironment());
        } catch (ModelSourceException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }

    private static String readableName(GlinerConfig config) {
        String name = config.modelVersion();
        if (name == null || name.isBlank()) {
            String backbone = config.modelName();
            name = backbone == null || backbone.isBlank() ? "gliner"
                    : "gliner-" + backbone.substring(backbone.lastIndexOf('/') + 1);
        }
        return name.strip().replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    private static String fingerprintOf(Path folder, String onnxFile) {
        try {
            return BundleFingerprint.of(folder, onnxFile);
        } catch (ModelSourceException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }

    /** What this model is and where it runs. */
    public ModelInfo info() {
        return info;
    }

    /**
     * Extracts entities from each text with one ordered label list. Results are in input order; a null or blank
     * text gives an empty list.
     *
     * @throws InvalidLabelsException when the labels are unusable (none, null, empty or without any sub-token, one
     *                                that spells a marker or special token of the tokenizer, or one label so long
     *                                that no text fits beside its prompt alone)
     * @throws InferenceException     when the runtime fails on a batch
     * @throws RuntimeException       naming the first text that failed (see {@link #extractEach} to get the other
     *                                texts' results anyway)
     */
    public List<List<Entity>> extract(List<String> texts, List<String> labels, ExtractionOptions options) {
        return extract(texts, setOf(labels), options);
    }

    /** {@link #extract(List, List, ExtractionOptions)} with labels that may carry descriptions. */
    public List<List<Entity>> extract(List<String> texts, LabelSet labels, ExtractionOptions options) {
        return entitiesOrThrow(extractEach(texts, labels, options, new ExtractionStats()));
    }

    /**
     * Like {@link #extract(List, List, ExtractionOptions)}, but one text's failure does not affect the others: each
     * text gets its entities or its error, and the call's counters are added to {@code stats}. Only errors of a text
     * itself become its result; errors of the labels or of the runtime concern every text and are thrown.
     *
     * @throws InvalidLabelsException when the labels are unusable (they are shared by every text)
     * @throws InferenceException     when the runtime fails on a batch (nothing is wrong with the texts: retry)
     */
    public List<ExtractionResult> extractEach(List<String> texts, List<String> labels, ExtractionOptions options,
                                              ExtractionStats stats) {
        return extractEach(texts, setOf(labels), options, stats);
    }

    /** {@link #extractEach(List, List, ExtractionOptions, ExtractionStats)} with labels that may carry descriptions. */
    public List<ExtractionResult> extractEach(List<String> texts, LabelSet labels, ExtractionOptions options,
                                              ExtractionStats stats) {
        List<Extraction.Document> documents = new ArrayList<>(texts.size());
        for (String text : texts) {
            documents.add(Extraction.Document.ofText(text, WordSplitter.split(text)));
        }
        return run(documents, labels, options, stats);
    }

    /**
     * Extracts entities from texts given pre-split into words. Entity offsets refer to the words joined by single
     * spaces; {@link Entity#startWord()} / {@link Entity#endWord()} index the given words. A null or empty word
     * list gives an empty list.
     */
    public List<List<Entity>> extractWords(List<List<String>> words, List<String> labels, ExtractionOptions options) {
        return entitiesOrThrow(extractWordsEach(words, setOf(labels), options, new ExtractionStats()));
    }

    /** {@link #extractWords} with one result or error per text, as {@link #extractEach}. */
    public List<ExtractionResult> extractWordsEach(List<List<String>> words, List<String> labels,
                                                   ExtractionOptions options, ExtractionStats stats) {
        return extractWordsEach(words, setOf(labels), options, stats);
    }

    /** {@link #extractWordsEach(List, List, ExtractionOptions, ExtractionStats)} with labels that may carry descriptions. */
    public List<ExtractionResult> extractWordsEach(List<List<String>> words, LabelSet labels,
                                                   ExtractionOptions options, ExtractionStats stats) {
        List<Extraction.Document> documents = new ArrayList<>(words.size());
        for (List<String> textWords : words) {
            documents.add(Extraction.Document.ofWords(textWords));
        }
        return run(documents, labels, options, stats);
    }

    /**
     * Checks a label list before any text is extracted with it, so that a job can reject labels no text could be
     * extracted with before it writes anything.
     *
     * @throws InvalidLabelsException when the labels are unusable, as {@link #extract} would throw for any text
     */
    public void checkLabels(List<String> labels) {
        checkLabels(setOf(labels));
    }

    /**
     * {@link #checkLabels(List)} for labels that may carry descriptions; two labels prompted as the same text are
     * rejected too.
     */
    public void checkLabels(LabelSet labels) {
        new Extraction(config, tokenizer, encoder, graph, options, ExtractionOptions.defaults(), new ExtractionStats())
                .checkLabels(labels);
    }

    /**
     * Checks {@code labels} as {@link #checkLabels(LabelSet)} does and returns a bi-encoder's vectors of them, for
     * {@link #keepLabelVectors} on other copies of this model; empty for other models.
     *
     * @throws InvalidLabelsException when the labels are unusable
     */
    public LabelVectors labelVectors(LabelSet labels) {
        return new LabelVectors(info.fingerprint(), new Extraction(config, tokenizer, encoder, graph, options,
                ExtractionOptions.defaults(), new ExtractionStats()).labelVectors(labels));
    }

    /**
     * Keeps label vectors another copy of this model made ({@link #labelVectors}), so that extracting with those
     * labels encodes none of them again. Does nothing for empty vectors or a model that is not a bi-encoder.
     *
     * @throws IllegalArgumentException when the vectors come from another model (another bundle fingerprint)
     */
    public void keepLabelVectors(LabelVectors vectors) {
        if (vectors.isEmpty() || graph.labelEncoder() == null) {
            return;
        }
        if (!vectors.modelFingerprint().equals(info.fingerprint())) {
            throw new IllegalArgumentException("label vectors of model " + vectors.modelFingerprint()
                    + " cannot serve model " + info.fingerprint() + " (" + info.source() + ")");
        }
        graph.labelEncoder().keep(vectors.vectors());
    }

    /** The set of a plain list; null stays null, which the extraction rejects as no labels. */
    private static LabelSet setOf(List<String> labels) {
        return labels == null ? null : LabelSet.of(labels);
    }

    private List<ExtractionResult> run(List<Extraction.Document> documents, LabelSet labels,
                                       ExtractionOptions extractionOptions, ExtractionStats stats) {
        if (closed.get()) {
            throw new IllegalStateException("model " + info.source() + " is closed");
        }
        return new Extraction(config, tokenizer, encoder, graph, options, extractionOptions, stats)
                .run(documents, labels);
    }

    private static List<List<Entity>> entitiesOrThrow(List<ExtractionResult> results) {
        List<List<Entity>> entities = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            RuntimeException error = results.get(i).error();
            if (error != null) {
                String message = "text " + i + ": " + error.getMessage();
                throw error instanceof IllegalArgumentException ? new IllegalArgumentException(message, error)
                        : new IllegalStateException(message, error);
            }
            entities.add(results.get(i).entities());
        }
        return entities;
    }

    /**
     * Releases the tokenizer and this model's hold on the shared session; for an instance from {@link #shared}, gives
     * the hold back. Closing twice does nothing more.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (release != null) {
            release.run();
            return;
        }
        SessionCache.release(graph.session());
        closeLabelEncoder(graph.labelEncoder());
        tokenizer.close();
    }
}
