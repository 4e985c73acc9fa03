package io.glinerspark.settings;

/** How a front end spells a setting's name, so that an error names the setting as the user wrote it. */
public enum Spelling {
    /** {@code spark.gliner.<name>}: Spark configuration, the job's options file, a SQL call's options. */
    CONF_KEY,
    /** {@code --<name>}: command lines. */
    OPTION,
    /** {@code <name>}: Transformer parameters. */
    PARAM;

    /** {@code name} as this front end spells it. */
    public String of(String name) {
        return switch (this) {
            case CONF_KEY -> Settings.PREFIX + name;
            case OPTION -> "--" + name;
            case PARAM -> name;
        };
    }
}
