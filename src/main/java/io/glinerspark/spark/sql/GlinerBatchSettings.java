package io.glinerspark.spark.sql;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.spark.task.JobModel;

import java.io.Serializable;
import java.util.List;

/**
 * What a {@link GlinerBatchExec} needs besides its plan: the model, the block size and the text cap (from the
 * application's {@code spark.gliner.*} settings), and each call's decoding options (from the session's when the query
 * was planned).
 *
 * @param model        where tasks find the model
 * @param callOptions  decoding options of each call, in the order of the batch's calls
 * @param rowsPerBlock rows a task reads before extracting them
 * @param maxTextChars longest text, in code points, that is extracted; a longer one gives NULL
 */
record GlinerBatchSettings(JobModel model, List<ExtractionOptions> callOptions, int rowsPerBlock, int maxTextChars)
        implements Serializable {

    GlinerBatchSettings {
        callOptions = List.copyOf(callOptions);
    }

    /** Short form for EXPLAIN output. */
    @Override
    public String toString() {
        return "model=" + model.options().source() + ", device=" + model.options().device() + ", rowsPerBlock=" + rowsPerBlock
                + ", maxTextChars=" + maxTextChars;
    }
}
