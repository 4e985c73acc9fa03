package io.glinerspark.cli;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;
import io.glinerspark.ModelLoadException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Command-line entry point: {@code extract} (JSONL stdin to JSONL stdout) and {@code bench}. */
public final class GlinerCli {

    private static final String USAGE = """
            usage: gliner extract [options] < in.jsonl > out.jsonl
                   gliner bench --corpus FILE.jsonl [--limit N] [options]

            extract reads lines {"id", "text", "labels"?} and writes one line per input line, in order:
            {"id", "entities": [{"start", "end", "text", "label", "score"}]} or {"id", "error"}.
            Offsets count Unicode code points, end exclusive. A line's "labels" override --labels.
            bench prints one JSON line of throughput figures (labels default to person,organization,location).

            model options:
            """ + CliSettings.MODEL_HELP + """

            decoding options:
            """ + CliSettings.DECODING_HELP + """

            bench options:
              --corpus FILE          JSONL file with a "text" field per line
              --limit N              first N documents only
            """;

    private GlinerCli() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.in, System.out, System.err));
    }

    /**
     * Runs a command.
     *
     * @return the exit status: 0 done (lines with errors included), 1 the model or input could not be read,
     *         2 a usage error
     */
    static int run(List<String> args, InputStream in, OutputStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            (args.isEmpty() ? err : new PrintStream(out, true, StandardCharsets.UTF_8)).print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "extract" -> extract(rest, in, out, err);
                case "bench" -> BenchCommand.run(parse(rest, Set.of("corpus", "limit")), new PrintStream(out, true,
                        StandardCharsets.UTF_8), err);
                default -> throw new IllegalArgumentException("unknown command '" + command + "'");
            }
            return 0;
        } catch (ModelLoadException | IOException e) {
            err.println("gliner " + command + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("gliner " + command + ": " + e.getMessage());
            err.println("run with --help for usage");
            return 2;
        } catch (RuntimeException e) {
            err.println("gliner " + command + ": " + e);
            return 1;
        }
    }

    private static CommandLine parse(List<String> args, Set<String> commandOptions) {
        Set<String> options = new HashSet<>(CliSettings.MODEL_OPTIONS);
        options.addAll(CliSettings.DECODING_OPTIONS);
        options.addAll(commandOptions);
        Set<String> switches = new HashSet<>(CliSettings.MODEL_SWITCHES);
        switches.addAll(CliSettings.DECODING_SWITCHES);
        return CommandLine.parse(args, options, switches);
    }

    private static void extract(List<String> args, InputStream in, OutputStream out, PrintStream err)
            throws IOException {
        CommandLine line = parse(args, Set.of());
        ExtractionOptions extraction = CliSettings.extractionOptions(line);
        List<String> labels = CliSettings.labels(line);
        try (GlinerModel model = GlinerModel.load(CliSettings.modelOptions(line))) {
            err.printf("gliner extract: model %s (%s, %s)%n", model.info().source(), model.info().spanMode(),
                    model.info().device());
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            new ExtractCommand(model, labels, extraction, err).run(reader, writer);
        }
    }
}
