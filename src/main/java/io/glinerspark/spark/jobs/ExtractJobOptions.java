package io.glinerspark.spark.jobs;

import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.OptionArguments;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Options of {@link ExtractJob}: the registry's settings that the job reads ({@link FrontEnd#EXTRACT_JOB}), each
 * under its {@code spark.gliner.<name>} key. From lowest to highest precedence: the registry's default, a
 * properties file ({@code conf/gliner-defaults.conf} when present, or {@code --conf-file path}), the Spark
 * configuration ({@code --conf spark.gliner.<name>=value} or spark-defaults), and the command line
 * ({@code --<name> value}, {@code --<name>=value} or {@code spark.gliner.<name>=value}).
 */
public final class ExtractJobOptions {

    /** The defaults file, relative to the project folder. */
    public static final String DEFAULTS_FILE = "conf/gliner-defaults.conf";
    /** The command-line option that names another options file. */
    private static final String CONF_FILE = "conf-file";

    private final SettingValues settings;
    private final boolean inputGiven;

    private ExtractJobOptions(SettingValues settings, boolean inputGiven) {
        this.settings = settings;
        this.inputGiven = inputGiven;
    }

    /**
     * Merges the sources of options.
     *
     * @param arguments   command-line arguments
     * @param sparkConf   the Spark configuration ({@code spark.gliner.*} entries are read)
     * @param projectHome folder that holds {@link #DEFAULTS_FILE} and the sample corpus
     * @throws IllegalArgumentException naming an unknown option and where it was found
     */
    public static ExtractJobOptions parse(List<String> arguments, Map<String, String> sparkConf, Path projectHome) {
        List<String> options = new ArrayList<>();
        for (String argument : arguments) {
            // spark.gliner.<name>=value and --spark.gliner.<name> are the keys' own spelling of --<name>
            if (argument.startsWith(Settings.PREFIX) && argument.contains("=")) {
                options.add("--" + argument.substring(Settings.PREFIX.length()));
            } else if (argument.startsWith("--" + Settings.PREFIX)) {
                options.add("--" + argument.substring(2 + Settings.PREFIX.length()));
            } else {
                options.add(argument);
            }
        }
        Map<String, String> commandLine = OptionArguments.parse(options, FrontEnd.EXTRACT_JOB, Set.of(CONF_FILE));
        String confFileGiven = commandLine.remove(CONF_FILE);
        Path confFile = confFileGiven != null ? Path.of(confFileGiven) : projectHome.resolve(DEFAULTS_FILE);

        Map<String, String> merged = new LinkedHashMap<>();
        if (confFileGiven != null || Files.isRegularFile(confFile)) {
            readConfFile(confFile).forEach((name, value) -> putIfJobSetting(merged, name, value, confFile.toString()));
        }
        SettingValues.stripPrefix(sparkConf)
                .forEach((name, value) -> putIfJobSetting(merged, name, value, "Spark configuration"));
        merged.putAll(commandLine);
        boolean inputGiven = merged.containsKey(Settings.INPUT.name());
        merged.putIfAbsent(Settings.INPUT.name(), projectHome.resolve(Settings.INPUT.defaultText()).toString());
        return new ExtractJobOptions(SettingValues.of(merged, Spelling.CONF_KEY), inputGiven);
    }

    /** The value of an option: as given, else its default (null when it has none). */
    public <T> T get(Setting<T> setting) {
        return settings.get(setting);
    }

    /**
     * Whether a source named the input: the file, the Spark configuration or the command line. Otherwise the input
     * is the sample corpus ({@link Settings#INPUT}'s default, in the project folder).
     */
    public boolean inputGiven() {
        return inputGiven;
    }

    /** Every option as given, read through the registry. */
    public SettingValues settings() {
        return settings;
    }

    /** The {@code --help} text. */
    public static String help() {
        return """
                Usage: jobs/extract.sh [--<option> value | --<option>=value | spark.gliner.<option>=value] ...
                                       [--conf-file file]

                Extracts entities with a GLiNER model into Delta tables. Options (spark.gliner.<option> in a Spark
                configuration or in conf/gliner-defaults.conf):
                """ + OptionArguments.help(Settings.readBy(FrontEnd.EXTRACT_JOB));
    }

    private static Map<String, String> readConfFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read options file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(properties.stringPropertyNames());
        keys.sort(null);
        for (String key : keys) {
            if (!key.startsWith(Settings.PREFIX)) {
                throw new IllegalArgumentException(file + ": key '" + key + "' does not start with " + Settings.PREFIX);
            }
            values.put(key.substring(Settings.PREFIX.length()), properties.getProperty(key).trim());
        }
        return values;
    }

    /**
     * Takes a setting of the options file or the Spark configuration. Both may be shared with the application's other
     * front ends, so a {@code spark.gliner.*} setting that only they read (an application limit of the SQL function,
     * say) is left to them; a name no front end knows is a mistake and fails.
     */
    private static void putIfJobSetting(Map<String, String> merged, String name, String value, String source) {
        Setting<?> setting = Settings.require(name, FrontEnd.SPARK_CONF, Spelling.CONF_KEY, source);
        if (setting.readBy(FrontEnd.EXTRACT_JOB)) {
            merged.put(name, value);
        }
    }
}
