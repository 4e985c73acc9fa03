package io.glinerspark.eval;

import io.glinerspark.GlinerModel;
import io.glinerspark.ModelLoadException;
import io.glinerspark.ModelOptions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation job behind {@code jobs/evaluate.sh}: scores a model on NER datasets the way the GLiNER reference
 * evaluation does, prints a table to stderr and one JSON line to stdout, and optionally appends the results to a
 * Delta table.
 */
public final class EvaluateJob {

    static final String USAGE = """
            usage: evaluate --data <path> [--model <source>] [--threshold 0.5] [--nested]
                            [--labels-map PER=person,ORG=organization,...] [--split test]
                            [--delta-out <path>] [--limit <sentences>] [--device cpu|cuda|cuda:N]
              --data        a GLiNER JSON dataset folder (<split>.json + labels.json), a folder of such folders,
                            a CoNLL column file (IOB1/IOB2/BIOES) or a folder of them
              --model       model source: a folder, a Hadoop URI, hf://owner/name, or "default" (the bundled model)
              --threshold   keep spans with probability > threshold (default 0.5)
              --nested      decode every dataset with nested spans (default: only names containing ACE, GENIA, Corpus)
              --labels-map  CoNLL tag type to prompt; the prompts of a CoNLL dataset are these names, in order
              --split       split file of GLiNER JSON datasets (default test)
              --delta-out   append one row per dataset to this Delta table
              --limit       evaluate the first N sentences of each dataset
              --device      where the model runs (default cpu); a device that cannot be used is an error
            """;

    private EvaluateJob() {
    }

    /** Parsed command line. */
    record Arguments(Path data, String model, double threshold, boolean nested, Map<String, String> labelsMap,
                     String split, String deltaOut, int limit, String device) {

        static Arguments parse(String[] args) {
            Path data = null;
            String model = ModelOptions.DEFAULT_SOURCE;
            double threshold = 0.5;
            boolean nested = false;
            Map<String, String> labelsMap = Map.of();
            String split = "test";
            String deltaOut = null;
            int limit = 0;
            String device = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--nested" -> nested = true;
                    case "--data" -> data = Path.of(value(args, ++i, option));
                    case "--model" -> model = value(args, ++i, option);
                    case "--threshold" -> threshold = threshold(value(args, ++i, option));
                    case "--labels-map" -> labelsMap = labelsMap(value(args, ++i, option));
                    case "--split" -> split = value(args, ++i, option);
                    case "--delta-out" -> deltaOut = value(args, ++i, option);
                    case "--limit" -> limit = limit(value(args, ++i, option));
                    case "--device" -> device = value(args, ++i, option);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (data == null) {
                throw new IllegalArgumentException("--data is required");
            }
            return new Arguments(data, model, threshold, nested, labelsMap, split, deltaOut, limit, device);
        }

        ModelOptions modelOptions() {
            ModelOptions options = ModelOptions.defaults().withSource(model);
            return device == null ? options : options.withDevice(device, true);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length || args[index].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static double threshold(String text) {
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--threshold: not a number: " + text);
            }
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException("--threshold must be in [0, 1), got " + text);
            }
            return value;
        }

        private static int limit(String text) {
            try {
                int value = Integer.parseInt(text);
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below with the option's name
            }
            throw new IllegalArgumentException("--limit must be a positive whole number, got " + text);
        }

        /** {@code PER=person,ORG=organization}, in the given order (it is the prompt order). */
        private static Map<String, String> labelsMap(String text) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String entry : text.split(",")) {
                int eq = entry.indexOf('=');
                String type = eq < 0 ? "" : entry.substring(0, eq).strip();
                String prompt = eq < 0 ? "" : entry.substring(eq + 1).strip();
                if (type.isEmpty() || prompt.isEmpty()) {
                    throw new IllegalArgumentException("--labels-map: expected TYPE=prompt, got '" + entry + "'");
                }
                if (map.put(type, prompt) != null) {
                    throw new IllegalArgumentException("--labels-map: type " + type + " is mapped twice");
                }
            }
            return map;
        }
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        Arguments arguments;
        List<EvaluationDataset> datasets;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("evaluate: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        try {
            // before Spark starts: a wrong path, a malformed file or a bad model fails at once with its own message
            // instead of as a failed task; in local mode the executors then reuse this very model instance
            datasets = load(arguments);
            GlinerModel.shared(arguments.modelOptions());
        } catch (IllegalArgumentException | UncheckedIOException | ModelLoadException e) {
            System.err.println("evaluate: " + e.getMessage());
            System.exit(1);
            return;
        }
        SparkSession spark = session();
        try {
            EvaluationReport report = run(spark, arguments, datasets);
            System.err.print(report.toTable());
            System.out.println(report.toJsonLine());
        } finally {
            spark.stop();
        }
    }

    /** The datasets that {@code arguments} point at. */
    static List<EvaluationDataset> load(Arguments arguments) {
        return new DatasetLoader(arguments.split(), arguments.labelsMap(), arguments.nested(), arguments.limit())
                .load(arguments.data());
    }

    /** Scores the model on {@code datasets} and appends the results to Delta when asked. */
    static EvaluationReport run(SparkSession spark, Arguments arguments, List<EvaluationDataset> datasets) {
        Instant runTime = Instant.now();
        EvaluationReport report = new SparkEvaluator(spark, arguments.modelOptions(), arguments.threshold())
                .evaluate(datasets);
        if (arguments.deltaOut() != null) {
            ResultsTable.append(spark, report, runTime, arguments.deltaOut());
        }
        return report;
    }

    /** The submitted session, or a local one on every core; Delta's extension is added unless already configured. */
    private static SparkSession session() {
        SparkConf conf = new SparkConf().setAppName("gliner-spark evaluate");
        conf.setIfMissing("spark.master", "local[*]");
        conf.setIfMissing("spark.log.level", "WARN");
        conf.setIfMissing("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        conf.setIfMissing("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
