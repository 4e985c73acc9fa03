package io.glinerspark.cli;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.DefaultsConf;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.OptionArguments;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.SettingsDocument;
import io.glinerspark.settings.Spelling;
import io.glinerspark.settings.TransformerParamsSource;
import io.glinerspark.types.ModelLoadException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Command-line entry point: {@code extract} (JSONL stdin to JSONL stdout), {@code bench}, {@code settings}
 * (every setting of every front end as JSON), {@code settings-doc} (the same as the Markdown settings page), and the
 * files generated from the settings ({@code defaults-conf}, {@code transformer-params}). Options are the registry's
 * settings, {@code --<name> value}.
 */
public final class GlinerCli {

    private static final String USAGE = """
            usage: gliner extract [--<setting> value ...] < in.jsonl > out.jsonl
                   gliner bench [--corpus FILE.jsonl] [--limit N] [--<setting> value ...]
                   gliner settings
                   gliner settings-doc
                   gliner defaults-conf
                   gliner transformer-params

            extract reads lines {"id", "text", "labels"?} and writes one line per input line, in order:
            {"id", "entities": [{"start", "end", "text", "label", "score"}]} or {"id", "error"}.
            Offsets count Unicode code points, end exclusive. A line's "labels" override --labels; they may be an
            object of label to description: the prompt carries the descriptions, the entities keep the labels.
            bench prints one JSON line of throughput figures.
            settings prints every setting of gliner-spark (all front ends) as JSON.
            settings-doc prints them as the Markdown page docs/settings.md.
            defaults-conf prints conf/gliner-defaults.conf, transformer-params the Java source of the Transformer's
            parameters (src/main/java/io/glinerspark/spark/ml/GlinerTransformerParams.java), both from the settings.
            Options are --<name> value or --<name>=value; extract and bench read:
            """ + OptionArguments.help(Settings.readBy(FrontEnd.CLI_EXTRACT)) + """

            bench reads them and:
            """ + OptionArguments.help(Settings.readBy(FrontEnd.CLI_BENCH).stream()
            .filter(setting -> !setting.readBy(FrontEnd.CLI_EXTRACT)).toList());

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
                case "extract" -> extract(settings(rest, FrontEnd.CLI_EXTRACT), in, out, err);
                case "bench" -> BenchCommand.run(settings(rest, FrontEnd.CLI_BENCH),
                        new PrintStream(out, true, StandardCharsets.UTF_8), err);
                case "settings" -> print(command, rest, SettingsDocument.json(), out);
                case "settings-doc" -> print(command, rest, SettingsDocument.markdown(), out);
                case "defaults-conf" -> print(command, rest, DefaultsConf.text(), out);
                case "transformer-params" -> print(command, rest, TransformerParamsSource.text(), out);
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

    /** Prints a text generated from the registry; the command takes no arguments. */
    private static void print(String command, List<String> rest, String text, OutputStream out) {
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException(command + " takes no arguments, got " + rest);
        }
        new PrintStream(out, true, StandardCharsets.UTF_8).print(text);
    }

    /** The settings of {@code command} on its command line. */
    static SettingValues settings(List<String> args, FrontEnd command) {
        return SettingValues.of(OptionArguments.parse(args, command, Set.of()), Spelling.OPTION);
    }

    private static void extract(SettingValues settings, InputStream in, OutputStream out, PrintStream err)
            throws IOException {
        List<String> labels = settings.get(Settings.LABELS);
        ExtractionOptions extraction = ExtractionOptions.from(settings);
        try (GlinerModel model = GlinerModel.load(ModelOptions.localFrom(settings))) {
            err.printf("gliner extract: model %s (%s, %s)%n", model.info().source(), model.info().spanMode(),
                    model.info().device());
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            new ExtractCommand(model, labels, settings.get(Settings.LABEL_DESCRIPTIONS), extraction, err)
                    .run(reader, writer);
        }
    }
}
