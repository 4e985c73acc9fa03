package io.glinerspark.spark;

import io.glinerspark.ModelOptions;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import org.apache.spark.SparkContext;

import java.util.List;
import java.util.Set;

/**
 * Which model sources the Transformers of an application may load, as {@code spark.gliner.allowedModelSources} in
 * the application's configuration says (its {@code SparkConf}: a session's {@code SET}, {@code spark.conf.set} or a
 * Spark Connect client cannot change it). Every source a Transformer's parameters name is checked on the driver
 * before the model is resolved, fingerprinted or shipped, so a refused source is never read.
 *
 * <p>Entries: {@code any}; {@code application} (the application's own {@code spark.gliner.model} with its
 * {@code spark.gliner.onnxFile}); or a source or a prefix of sources ({@code default}, {@code /models/},
 * {@code hdfs://nn/models/}, {@code hf://owner/}). A prefix matches a source that equals it or continues it after a
 * {@code /} (or an {@code @revision} of a hub id); a source with a {@code ..} segment matches no prefix. Unset, a
 * classic application allows any source, and a Spark Connect client only the application's model: a Connect server
 * runs its clients' requests with the server's files and credentials.
 *
 * <p>A Transformer counts as a Connect client's when Spark Connect's server code (the classes under
 * {@code org.apache.spark.sql.connect}: its planner, its ML command handler, its request service) is calling it: that is
 * how a Connect server runs both the {@code transform} of a client's Transformer and the analysis of its result.
 */
public final class ModelSourcePolicy {

    static final String CONNECT_SERVER_PACKAGE = "org.apache.spark.sql.connect.";
    private static final Set<String> CONNECT_SERVER_PARTS = Set.of("planner.", "ml.", "service.", "execution.");
    private static final String KEY = Spelling.CONF_KEY.of(Settings.ALLOWED_MODEL_SOURCES.name());

    private ModelSourcePolicy() {
    }

    /**
     * Refuses a Transformer's model that the application does not allow to the caller.
     *
     * @throws IllegalArgumentException naming the model, the setting and what it allows
     */
    public static void check(SparkContext context, ModelOptions options) {
        check(GlinerConf.application(context), options, calledByConnectServer());
    }

    /**
     * {@link #check(SparkContext, ModelOptions)} with the application's settings and the caller's kind given.
     *
     * @param connect whether a Spark Connect client asked for the model
     */
    static void check(SettingValues application, ModelOptions options, boolean connect) {
        List<String> configured = application.get(Settings.ALLOWED_MODEL_SOURCES);
        List<String> allowed = configured != null ? configured
                : connect ? List.of(Settings.APPLICATION_MODEL_SOURCE) : List.of(Settings.ANY_MODEL_SOURCE);
        String applicationModel = application.get(Settings.MODEL);
        String applicationOnnx = application.get(Settings.ONNX_FILE);
        boolean isApplicationModel = options.source().equals(applicationModel)
                && options.onnxFile().equals(applicationOnnx);
        for (String entry : allowed) {
            if (entry.equals(Settings.ANY_MODEL_SOURCE)
                    || entry.equals(Settings.APPLICATION_MODEL_SOURCE) && isApplicationModel
                    || matches(entry, options.source()) && !escapes(options.onnxFile())) {
                return;
            }
        }
        throw new IllegalArgumentException("model '" + options.source() + "' (onnxFile '" + options.onnxFile()
                + "') is not allowed " + (connect ? "to Spark Connect clients " : "") + "in this application: " + KEY
                + (configured != null ? " is '" + String.join(",", configured) + "'"
                : " is not set, so a Spark Connect client may load only the application's model")
                + "; the application's model is '" + applicationModel + "' (onnxFile '" + applicationOnnx + "'). "
                + KEY + " is read only from the application's configuration when it starts (--conf " + KEY + "=...)");
    }

    /** Whether {@code source} is {@code entry} or a source under it. */
    static boolean matches(String entry, String source) {
        if (source.equals(entry)) {
            return true;
        }
        if (entry.equals(ModelOptions.DEFAULT_SOURCE) || !source.startsWith(entry) || escapes(source)) {
            return false;
        }
        char next = source.charAt(entry.length());
        return entry.endsWith("/") || next == '/' || next == '@';
    }

    /** Whether a path names a parent folder, which could lead out of an allowed prefix. */
    private static boolean escapes(String path) {
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** Whether Spark Connect's server code is on the current thread's stack. */
    static boolean calledByConnectServer() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame -> {
            String name = frame.getClassName();
            if (!name.startsWith(CONNECT_SERVER_PACKAGE)) {
                return false;
            }
            String part = name.substring(CONNECT_SERVER_PACKAGE.length());
            return CONNECT_SERVER_PARTS.stream().anyMatch(part::startsWith);
        }));
    }
}
