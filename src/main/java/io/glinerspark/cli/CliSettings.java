package io.glinerspark.cli;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.ExtractionOptions.LongTextPolicy;
import io.glinerspark.ExtractionOptions.TokenScore;
import io.glinerspark.ModelOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The model and decoding options both commands share, read from their command lines. */
final class CliSettings {

    static final Set<String> MODEL_OPTIONS = Set.of("model", "onnx-file", "device", "threads", "batch-budget");
    static final Set<String> MODEL_SWITCHES = Set.of("require-device");
    static final Set<String> DECODING_OPTIONS = Set.of("labels", "threshold", "label-threshold", "token-score",
            "long-text", "window-overlap");
    static final Set<String> DECODING_SWITCHES = Set.of("nested", "multi-label");

    static final String MODEL_HELP = """
              --model M              model folder, Hadoop URI, hf://owner/name[@revision] or "default" (default)
              --onnx-file F          ONNX file of the bundle (model.onnx)
              --device D             cpu, cuda or cuda:N (cpu); unavailable devices fall back to cpu
              --require-device       fail instead of falling back to cpu
              --threads N            ONNX Runtime intra-op threads (runtime default)
              --batch-budget W,T     batch budget: padded words x max_width, padded sub-tokens (0,0: 24576,8192
                                     on cpu, 196608,65536 on cuda)
            """;
    static final String DECODING_HELP = """
              --labels a,b,c         entity labels (commas separate; spaces around them are dropped)
              --threshold P          probability threshold, strict (0.5)
              --label-threshold L=P  threshold of one label, applied before the greedy selection (repeatable)
              --nested               allow nested entities (flat by default)
              --multi-label          allow one span under several labels
              --token-score S        min or mean: span score of token-level models (min)
              --long-text P          chunk, truncate or fail for texts over one window (chunk)
              --window-overlap N     words shared by neighbouring windows (50)
            """;

    private CliSettings() {
    }

    static ModelOptions modelOptions(CommandLine line) {
        ModelOptions defaults = ModelOptions.defaults();
        ModelOptions options = defaults
                .withSource(line.value("model", ModelOptions.DEFAULT_SOURCE))
                .withOnnxFile(line.value("onnx-file", defaults.onnxFile()))
                .withDevice(line.value("device", defaults.device()), line.flag("require-device"))
                .withThreads(line.intValue("threads", 0), 0);
        String budget = line.value("batch-budget", null);
        if (budget != null) {
            String[] parts = budget.split(",");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--batch-budget must be WORDS,TOKENS, got '" + budget + "'");
            }
            try {
                options = options.withBatchBudget(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--batch-budget must be two integers, got '" + budget + "'");
            }
        }
        return options;
    }

    static ExtractionOptions extractionOptions(CommandLine line) {
        Map<String, Float> labelThresholds = new LinkedHashMap<>();
        for (String pair : line.values("label-threshold")) {
            int equals = pair.lastIndexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--label-threshold must be LABEL=P, got '" + pair + "'");
            }
            labelThresholds.put(pair.substring(0, equals),
                    CommandLine.parseFloat("--label-threshold " + pair.substring(0, equals), pair.substring(equals + 1)));
        }
        return ExtractionOptions.defaults()
                .withThreshold(line.floatValue("threshold", ExtractionOptions.defaults().threshold()))
                .withLabelThresholds(labelThresholds)
                .withFlatNer(!line.flag("nested"))
                .withMultiLabel(line.flag("multi-label"))
                .withTokenScore(enumValue(TokenScore.class, "token-score", line.value("token-score", "min")))
                .withLongText(enumValue(LongTextPolicy.class, "long-text", line.value("long-text", "chunk")))
                .withWindowOverlap(line.intValue("window-overlap", ExtractionOptions.defaults().windowOverlap()));
    }

    /** The {@code --labels} list, or null when not given. */
    static List<String> labels(CommandLine line) {
        String given = line.value("labels", null);
        if (given == null) {
            return null;
        }
        List<String> labels = new ArrayList<>();
        for (String label : given.split(",")) {
            labels.add(label.strip());
        }
        return labels;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + option + " must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + value
                    + "'");
        }
    }
}
