package io.glinerspark.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments {@code --<name> value} or {@code --<name>=value} as settings keyed by name, each checked
 * against what the command accepts. A name given twice keeps its last value, so a wrapper script may put
 * defaults before the user's arguments.
 */
public final class OptionArguments {

    private OptionArguments() {
    }

    /**
     * @param frontEnd the command; it accepts the settings that it reads
     * @param extra    names of the command's own options that are not settings (e.g. {@code conf-file})
     * @throws IllegalArgumentException on an unknown name, a missing value or a stray argument
     */
    public static Map<String, String> parse(List<String> args, FrontEnd frontEnd, Set<String> extra) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String argument = args.get(i);
            if (!argument.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + argument + "': options are --<name> value"
                        + " or --<name>=value (see --help)");
            }
            int eq = argument.indexOf('=');
            String name = eq > 0 ? argument.substring(2, eq) : argument.substring(2);
            String value;
            if (eq > 0) {
                value = argument.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!extra.contains(name)) {
                Settings.require(name, frontEnd, Spelling.OPTION, "command line");
            }
            values.remove(name);
            values.put(name, value);
        }
        return values;
    }

    /** Help lines for {@code settings}, grouped, one per setting: {@code --name}, its doc, and its default. */
    public static String help(List<Setting<?>> settings) {
        StringBuilder text = new StringBuilder();
        Group current = null;
        for (Setting<?> setting : settings) {
            if (setting.group() != current) {
                current = setting.group();
                text.append(String.format("%n%s:%n", current.title()));
            }
            text.append(String.format("  --%-17s %s%n", setting.name(), setting.doc()));
            text.append(String.format("  %-19s %s%s%n", "", setting.type().description(),
                    setting.defaultText() == null ? "" : "; default: " + setting.defaultText()));
        }
        return text.toString();
    }
}
