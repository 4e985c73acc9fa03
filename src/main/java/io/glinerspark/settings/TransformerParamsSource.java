package io.glinerspark.settings;

import java.util.Locale;

/**
 * The Java source of the Spark ML Transformer's parameters that are settings: one typed parameter per setting the
 * Transformer reads, with the accessor Spark ML finds it by and a setter. It is generated rather than written
 * because Spark ML discovers parameters through public accessors; a test keeps the checked-in file in step with the
 * registry, and {@code jobs/gliner.sh transformer-params} writes it.
 */
public final class TransformerParamsSource {

    /** Where the generated source lives, relative to the repository root. */
    public static final String PATH = "src/main/java/io/glinerspark/spark/ml/GlinerTransformerParams.java";

    private TransformerParamsSource() {
    }

    /** The source text. */
    public static String text() {
        StringBuilder fields = new StringBuilder();
        StringBuilder create = new StringBuilder();
        StringBuilder accessors = new StringBuilder();
        StringBuilder setters = new StringBuilder();
        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
            String name = setting.name();
            String[] shape = shape(setting);
            String paramType = shape[0];
            fields.append("    private final ").append(paramType).append(' ').append(name).append(";\n");
            create.append("        ").append(name).append(" = SettingParams.").append(shape[1]).append("(this, Settings.")
                    .append(constant(name)).append(");\n");
            accessors.append("\n    /** ").append(escape(setting.doc())).append(". */\n")
                    .append("    public ").append(paramType).append(' ').append(name).append("() {\n")
                    .append("        return ").append(name).append(";\n    }\n");
            setters.append("\n    public T set").append(Character.toUpperCase(name.charAt(0))).append(name.substring(1))
                    .append('(').append(shape[2]).append(" value) {\n")
                    .append("        set(").append(name).append(", ").append(shape[3]).append(");\n")
                    .append("        return self();\n    }\n");
        }
        return """
                // Generated from the settings registry (io.glinerspark.settings.Settings) by
                // `jobs/gliner.sh transformer-params`; edit the registry, not this file.
                package io.glinerspark.spark.ml;

                import io.glinerspark.settings.FrontEnd;
                import io.glinerspark.settings.Setting;
                import io.glinerspark.settings.Settings;
                import org.apache.spark.ml.Transformer;
                import org.apache.spark.ml.param.BooleanParam;
                import org.apache.spark.ml.param.DoubleParam;
                import org.apache.spark.ml.param.IntParam;
                import org.apache.spark.ml.param.Param;
                import org.apache.spark.ml.param.StringArrayParam;

                import java.util.LinkedHashMap;
                import java.util.Map;

                /**
                 * The parameters of {@link GlinerTransformer} that are settings of the registry: each has the setting's
                 * name, doc, validation and default.
                 *
                 * @param <T> the transformer, which the setters return
                 */
                public abstract class GlinerTransformerParams<T extends GlinerTransformerParams<T>> extends Transformer {

                    private static final long serialVersionUID = 1L;

                    private final String uid;
                %s
                    /** Creates the parameters; the subclass calls {@link #setSettingDefaults()} once it has made its own. */
                    protected GlinerTransformerParams(String uid) {
                        this.uid = uid;
                %s    }

                    /**
                     * Gives each parameter its setting's default. Spark ML finds parameters through every accessor, the
                     * subclass's too, so this may run only once all of them are made.
                     */
                    protected final void setSettingDefaults() {
                        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
                            if (setting.defaultValue() != null) {
                                setDefault(param(setting), SettingParams.paramValue(setting, setting.defaultValue()));
                            }
                        }
                    }

                    @Override
                    public final String uid() {
                        return uid;
                    }

                    /** The parameter of {@code setting}, which the transformer reads. */
                    @SuppressWarnings("unchecked")
                    protected final Param<Object> param(Setting<?> setting) {
                        return (Param<Object>) getParam(setting.name());
                    }

                    @SuppressWarnings("unchecked")
                    protected final T self() {
                        return (T) this;
                    }

                    // ---- parameters (public no-argument accessors: Spark ML finds parameters through them) ----
                %s
                    // ---- setters ----
                %s}
                """.formatted(fields, create, accessors, setters);
    }

    /** Parameter class, factory, setter argument and the value the setter stores, for a setting's kind. */
    private static String[] shape(Setting<?> setting) {
        return switch (setting.type().kind()) {
            case BOOLEAN -> new String[]{"BooleanParam", "bool", "boolean", "value"};
            case INTEGER -> new String[]{"IntParam", "integer", "int", "value"};
            case NUMBER -> new String[]{"DoubleParam", "number", "double", "value"};
            case TEXT -> new String[]{"Param<String>", "text", "String", "value"};
            case LIST -> new String[]{"StringArrayParam", "list", "String...", "value"};
            case MAP -> {
                if (setting != Settings.LABEL_THRESHOLDS) {
                    throw new IllegalStateException("no Transformer parameter type for the map setting " + setting);
                }
                yield new String[]{"LabelThresholdsParam", "labelThresholds", "Map<String, Double>",
                        "new LinkedHashMap<>(value)"};
            }
        };
    }

    /** The name of a setting's constant in {@link Settings}: {@code intraOpThreads} is {@code INTRA_OP_THREADS}. */
    static String constant(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static String escape(String doc) {
        String text = doc.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;");
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
