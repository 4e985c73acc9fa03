package io.glinerspark.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scale-out of the extraction job on a real standalone cluster (run by {@code jobs/bench-cluster.sh}): a Master and
 * two Workers of one core each, and one input file, extracted by the same job on one Worker
 * ({@code spark.cores.max=1}) and then on both, each into new tables. Prints each run's documents/s (the job's own
 * figure: reading, extraction and Delta writes), the executors that ran tasks, and the ratio.
 *
 * <p>Arguments: {@code [--docs 2000] [--corpus ../shared/data/corpus/en_docs.jsonl] [--model default]
 * [--labels person,organization,location,date,product]}.
 */
public final class ScaleOutBenchmark {

    private static final Pattern RATE = Pattern.compile("documents\\s+(\\d+) written \\((\\d+) with errors\\) in ([0-9.]+) s: ([0-9.]+) documents/s");
    private static final Pattern EXECUTOR = Pattern.compile("executor (\\S+) on \\S+: [^,]+, (\\d+) tasks?");
    private static final Duration JOB_LIMIT = Duration.ofMinutes(30);

    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath().normalize();
        int docs = 2000;
        Path corpus = repo.resolve("../shared/data/corpus/en_docs.jsonl").normalize();
        String model = "default";
        String labels = "person,organization,location,date,product";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--docs" -> docs = Integer.parseInt(args[i + 1]);
                case "--corpus" -> corpus = Path.of(args[i + 1]).toAbsolutePath();
                case "--model" -> model = args[i + 1];
                case "--labels" -> labels = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: " + Arrays.toString(args));
        }
        if (!Files.isRegularFile(corpus)) {
            System.err.println("no corpus " + corpus + ": give --corpus, or put the shared data beside the project "
                    + "(../shared/data, see its README)");
            System.exit(2);
        }
        if (model.equals("default")) {
            model = repo.resolve("models/default").toString();
        }
        Path root = Files.createTempDirectory("gliner-scale-out");
        Path input = root.resolve("input/docs.jsonl");
        Files.createDirectories(input.getParent());
        try (Stream<String> lines = Files.lines(corpus)) {
            Files.write(input, lines.limit(docs).toList());
        }
        List<Path> dependencies = Arrays.stream(Files.readString(repo.resolve("target/classpath.txt")).trim()
                .split(File.pathSeparator)).map(Path::of).toList();
        List<String> rows = new ArrayList<>();
        double[] rates = new double[3];
        try (StandaloneCluster cluster = StandaloneCluster.start(root, repo.resolve("target/classes"), dependencies, 2,
                "1500m")) {
            for (int workers = 1; workers <= 2; workers++) {
                cluster.awaitIdle(Duration.ofMinutes(1));
                String log = run(ExtractDriver.named(cluster, "workers-" + workers)
                        .conf("spark.cores.max", String.valueOf(workers))
                        .conf("spark.executor.memory", "1g")
                        .conf("spark.executor.extraJavaOptions", "-Dai.djl.offline=true")
                        .args("--input", input.toString(), "--output", root.resolve("out-" + workers).toString(),
                                "--model", model, "--labels", labels, "--examples", "0"));
                Matcher rate = RATE.matcher(log);
                if (!rate.find()) {
                    throw new IllegalStateException("no summary in the job's output:\n" + log);
                }
                rates[workers] = Double.parseDouble(rate.group(4));
                List<String> executors = new ArrayList<>();
                Matcher executor = EXECUTOR.matcher(log);
                while (executor.find()) {
                    executors.add("executor " + executor.group(1) + ": " + executor.group(2) + " tasks");
                }
                Matcher partitions = Pattern.compile("partitions (.*)").matcher(log);
                rows.add(String.format(Locale.ROOT, "%-8d %8s %9s %10.2f  %s; partitions %s", workers, rate.group(1),
                        rate.group(3), rates[workers], String.join(", ", executors),
                        partitions.find() ? partitions.group(1) : "?"));
            }
        }
        System.out.println("documents: " + docs + " of " + corpus + " in one file; model " + model + "; Workers of one core");
        System.out.printf(Locale.ROOT, "%-8s %8s %9s %10s  %s%n", "workers", "docs", "run s", "docs/s", "executors that ran tasks");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "2 Workers / 1 Worker: %.2fx%n", rates[2] / rates[1]);
    }

    private static String run(ExtractDriver job) throws InterruptedException, IOException {
        try (ChildJvm driver = job.start()) {
            if (!driver.awaitExit(JOB_LIMIT) || driver.exitValue() != 0) {
                throw new IllegalStateException(driver + " failed or ran past " + JOB_LIMIT + ":\n" + driver.log());
            }
            return driver.log();
        }
    }
}
