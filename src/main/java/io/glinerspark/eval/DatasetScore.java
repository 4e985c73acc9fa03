package io.glinerspark.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The score of one dataset: micro counts over all its labels and the per-label breakdown.
 *
 * @param name      the dataset's name (folder or file name)
 * @param nested    whether it was decoded with nested spans allowed
 * @param sentences sentences evaluated
 * @param labels    counts per label, prompts first in prompt order, then gold types that were no prompt
 */
public record DatasetScore(String name, boolean nested, long sentences, Map<String, MatchCounts> labels) {

    public DatasetScore {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** Micro counts: the sum over labels. */
    public MatchCounts total() {
        MatchCounts total = MatchCounts.ZERO;
        for (MatchCounts counts : labels.values()) {
            total = total.plus(counts);
        }
        return total;
    }
}
