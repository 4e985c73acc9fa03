package io.glinerspark.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glinerspark.source.BundleGraphs;
import io.glinerspark.source.ModelSourceException;
import io.glinerspark.types.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A GLiNER ONNX export on local disk: {@code gliner_config.json}, {@code tokenizer.json} and an ONNX graph at the
 * root or under {@code onnx/}, possibly with a GPU graph beside it ({@link BundleGraphs}). A bi-encoder bundle also
 * holds its label encoder at the root: {@value #LABELS_ENCODER_FILE}, which turns tokenized labels into embeddings,
 * and its tokenizer {@value #LABELS_TOKENIZER_FILE}; its text graph then takes those embeddings as an input. Opening
 * it checks everything that can be checked without the tokenizers and graphs.
 *
 * @param root            the bundle folder
 * @param config          the parsed {@code gliner_config.json}
 * @param tokenizer       path of {@code tokenizer.json}
 * @param graphs          the graphs the ONNX file setting takes, relative to {@code root}
 * @param labelsGraph     path of the label encoder graph of a bi-encoder, else null
 * @param labelsTokenizer path of the label encoder's tokenizer of a bi-encoder, else null
 */
public record ModelBundle(Path root, GlinerConfig config, Path tokenizer, BundleGraphs graphs, Path labelsGraph,
                          Path labelsTokenizer) {

    public static final String CONFIG_FILE = "gliner_config.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String LABELS_ENCODER_FILE = "labels_encoder.onnx";
    public static final String LABELS_TOKENIZER_FILE = "labels_tokenizer.json";

    /** Span representations of the reference; any of them gives the same ONNX signature. */
    static final Set<String> SPAN_MODES = Set.of("markerV0", "marker", "query", "mlp", "cat", "conv_conv",
            "conv_max", "conv_mean", "conv_sum", "conv_share", "token_level");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Opens and checks a bundle folder.
     *
     * @param onnxName the ONNX file name, looked up at the root and under {@code onnx/}, or
     *                 {@value BundleGraphs#AUTO} for the graph of each device
     * @throws ModelLoadException naming the file or setting at fault
     */
    public static ModelBundle open(Path root, String onnxName) {
        if (!Files.isDirectory(root)) {
            throw new ModelLoadException("model bundle " + root + " is not a folder");
        }
        GlinerConfig config = readConfig(root.resolve(CONFIG_FILE));
        checkSupported(config, root.resolve(CONFIG_FILE));
        Path tokenizer = root.resolve(TOKENIZER_FILE);
        if (!Files.isRegularFile(tokenizer)) {
            throw new ModelLoadException("model bundle " + root + " has no " + TOKENIZER_FILE
                    + "; the bundle must contain the GLiNER tokenizer (backbone tokenizer plus <<ENT>> and <<SEP>>)");
        }
        BundleGraphs graphs = findGraphs(root, onnxName);
        if (!config.biEncoder()) {
            return new ModelBundle(root, config, tokenizer, graphs, null, null);
        }
        return new ModelBundle(root, config, tokenizer, graphs, labelEncoderFile(root, LABELS_ENCODER_FILE),
                labelEncoderFile(root, LABELS_TOKENIZER_FILE));
    }

    private static Path labelEncoderFile(Path root, String name) {
        Path file = root.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("model bundle " + root + " is a bi-encoder (labels_encoder is set in "
                    + CONFIG_FILE + ") but has no " + name + " at its root; jobs/convert.sh writes it beside the "
                    + "text graph");
        }
        return file;
    }

    /** Path of the graph a session loads on CUDA ({@code cuda} true) or on the CPU: {@link BundleGraphs#forDevice}. */
    public Path graphFor(boolean cuda) {
        return root.resolve(graphs.forDevice(cuda));
    }

    /**
     * Checks that the tokenizer holds the prompt markers as single tokens and that {@code <<ENT>>} has the id the
     * graph looks for ({@code class_token_index}); a mismatch would make the graph find no label slots.
     *
     * @param tokenIds the bundle tokenizer's id of a token that must be a single one; throws
     *                 {@link IllegalArgumentException} when the token is not
     *
     * @throws ModelLoadException naming the token or id at fault
     */
    public void checkTokenizer(ToIntFunction<String> tokenIds) {
        int entId = tokenId(tokenIds, config.entToken(), "ent_token");
        tokenId(tokenIds, config.sepToken(), "sep_token");
        if (config.classTokenIndex() != null && config.classTokenIndex() != entId) {
            throw new ModelLoadException(root.resolve(CONFIG_FILE) + ": class_token_index is "
                    + config.classTokenIndex() + " but " + tokenizer + " maps ent_token '" + config.entToken()
                    + "' to " + entId);
        }
    }

    private int tokenId(ToIntFunction<String> tokenIds, String token, String field) {
        try {
            return tokenIds.applyAsInt(token);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(tokenizer + " has no single token for " + field + " '" + token + "' of "
                    + root.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
        }
    }

    private static GlinerConfig readConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("model bundle " + file.getParent() + " has no " + CONFIG_FILE);
        }
        try {
            return JSON.readValue(file.toFile(), GlinerConfig.class);
        } catch (IOException e) {
            throw new ModelLoadException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkSupported(GlinerConfig config, Path file) {
        if (!SPAN_MODES.contains(config.spanMode())) {
            throw new ModelLoadException(file + ": unsupported span_mode '" + config.spanMode() + "' (supported: "
                    + SPAN_MODES.stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
        if (!"whitespace".equals(config.wordsSplitterType())) {
            throw new ModelLoadException(file + ": words_splitter_type '" + config.wordsSplitterType()
                    + "' is a Python-only word splitter (the library's are mecab: Korean, janome: Japanese, jieba and"
                    + " hanlp: Chinese, camel: Arabic, hindi: Hindi, spacy, stanza and universal: by language); the"
                    + " engine splits raw text only as 'whitespace' (the regex \\w+(?:[-_]\\w+)*|\\S) does. Split"
                    + " the texts with that splitter in Python and give the words to GlinerModel.extractWords, or set"
                    + " words_splitter_type to 'whitespace' (entities may then differ from the library's)");
        }
        rejectArchitecture(config.relationsLayer(), "relations_layer", "relation-extraction", file);
        rejectArchitecture(config.labelsDecoder(), "labels_decoder", "generative (label decoder)", file);
        rejectArchitecture(config.precomputedPrompts(), "precomputed_prompts_mode", "precomputed-prompt", file);
        if (config.maxWidth() < 1 || config.maxLen() < 1) {
            throw new ModelLoadException(file + ": max_width and max_len must be positive, got max_width="
                    + config.maxWidth() + ", max_len=" + config.maxLen());
        }
    }

    private static void rejectArchitecture(JsonNode value, String field, String architecture, Path file) {
        if (GlinerConfig.isSet(value)) {
            throw new ModelLoadException(file + ": " + field + " is set, so this is a " + architecture
                    + " GLiNER model; only span and token-level models, uni- or bi-encoder, are supported");
        }
    }

    private static BundleGraphs findGraphs(Path root, String onnxName) {
        BundleGraphs graphs;
        try {
            graphs = BundleGraphs.in(root, onnxName);
        } catch (ModelSourceException e) {
            throw new ModelLoadException("model bundle " + root + ": " + e.getMessage(), e);
        }
        if (graphs == null) {
            String name = BundleGraphs.isAuto(onnxName) ? BundleGraphs.CPU_GRAPH : onnxName;
            throw new ModelLoadException("model bundle " + root + " has no ONNX file '" + name
                    + "' at its root or under onnx/ (ONNX files present: " + onnxFilesIn(root) + ")");
        }
        return graphs;
    }

    private static String onnxFilesIn(Path root) {
        try (Stream<Path> files = Files.walk(root, 2)) {
            List<String> names = files.filter(p -> p.getFileName().toString().endsWith(".onnx"))
                    .map(p -> root.relativize(p).toString()).sorted().toList();
            return names.isEmpty() ? "none" : String.join(", ", names);
        } catch (IOException e) {
            return "unknown: " + e.getMessage();
        }
    }
}
