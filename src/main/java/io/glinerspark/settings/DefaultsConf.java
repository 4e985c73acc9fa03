package io.glinerspark.settings;

/**
 * The text of {@code conf/gliner-defaults.conf}: every {@code spark.gliner.*} setting with its doc, what it accepts
 * and its default, commented out, grouped as the registry groups them. Uncommenting a line therefore changes
 * nothing until its value is edited; a default of 0 stays 0, which the doc says is sized for the device.
 * {@code jobs/gliner.sh defaults-conf} writes it, and a test keeps the shipped file in step with the registry.
 */
public final class DefaultsConf {

    /** Where the file lives, relative to the repository root. */
    public static final String PATH = "conf/gliner-defaults.conf";

    private DefaultsConf() {
    }

    /** The file's text. */
    public static String text() {
        StringBuilder text = new StringBuilder("""
                # Defaults of the extraction job (jobs/extract.sh) as spark.gliner.* properties.
                # Precedence, lowest first: built-in defaults, this file, the Spark configuration (--conf spark.gliner.x=y),
                # the command line (--x y). Uncomment a line and edit its value to change a default.
                # The same spark.gliner.* keys set the model and decoding defaults of the SQL function gliner_extract.
                # Generated from the settings registry by `jobs/gliner.sh defaults-conf`: edit the registry, not this file.
                """);
        Group current = null;
        for (Setting<?> setting : Settings.readBy(FrontEnd.SPARK_CONF)) {
            if (setting.group() != current) {
                current = setting.group();
                text.append("\n# ---- ").append(current.title()).append(" ----\n");
            }
            text.append("\n# ").append(setting.doc()).append('\n')
                    .append("# accepts ").append(setting.type().description())
                    .append(setting.defaultText() == null ? "; no default" : "").append('\n')
                    .append('#').append(Spelling.CONF_KEY.of(setting.name())).append('=')
                    .append(setting.defaultText() == null ? "" : setting.defaultText()).append('\n');
        }
        return text.toString();
    }
}
