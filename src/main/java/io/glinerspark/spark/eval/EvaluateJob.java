package io.glinerspark.spark.eval;

import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import io.glinerspark.eval.DatasetLoader;
import io.glinerspark.eval.EvaluationDataset;
import io.glinerspark.eval.EvaluationReport;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.OptionArguments;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.spark.jobs.JobSessions;
import io.glinerspark.types.ModelLoadException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evaluation job behind {@code jobs/evaluate.sh}: scores a model on NER datasets the way the GLiNER reference
 * evaluation does, prints a table to stderr and one JSON line to stdout, and optionally appends the results to a
 * Delta table.
 */
public final class EvaluateJob {

    static final String USAGE = """
            usage: evaluate --data <path> [--<setting> value ...]
            Options are --<name> value or --<name>=value:
            """ + OptionArguments.help(Settings.readBy(FrontEnd.EVALUATION));

    private EvaluateJob() {
    }

    /**
     * Parsed command line.
     *
     * @param modelOptions     the model as this process runs it ({@code auto} is the CPU here)
     * @param limit            sentences of each dataset to evaluate, 0 for all
     * @param taskModelOptions the model as Spark's tasks run it ({@code auto} is each executor's GPU when it has one)
     */
    record Arguments(Path data, ModelOptions modelOptions, double threshold, boolean nested,
                     Map<String, String> labelsMap, String split, String deltaOut, int limit,
                     ModelOptions taskModelOptions) {

        static Arguments parse(String[] args) {
            SettingValues settings = SettingValues.of(OptionArguments.parse(List.of(args), FrontEnd.EVALUATION,
                    Set.of()), Spelling.OPTION);
            String data = settings.get(Settings.DATA);
            if (data == null) {
                throw new IllegalArgumentException("--data is required");
            }
            Map<String, String> labelsMap = settings.get(Settings.LABELS_MAP);
            Integer limit = settings.get(Settings.LIMIT);
            return new Arguments(Path.of(data), ModelOptions.localFrom(settings), settings.get(Settings.THRESHOLD),
                    settings.get(Settings.NESTED), labelsMap == null ? Map.of() : labelsMap, settings.get(Settings.SPLIT),
                    settings.get(Settings.DELTA_OUT), limit == null ? 0 : limit,
                    ModelOptions.from(settings));
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
        SparkConf conf = new SparkConf().setIfMissing("spark.log.level", "WARN");
        SparkSession spark = JobSessions.create(conf, "gliner-spark evaluate");
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
        EvaluationReport report = new SparkEvaluator(spark, arguments.taskModelOptions(), arguments.threshold())
                .evaluate(datasets);
        if (arguments.deltaOut() != null) {
            ResultsTable.append(spark, report, runTime, arguments.deltaOut());
        }
        return report;
    }
}
