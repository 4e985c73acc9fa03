package io.glinerspark.eval;

import io.glinerspark.dataset.GoldSpan;
import io.glinerspark.types.Entity;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares one sentence's predicted entities with its gold spans by exact (label, first word, last word).
 *
 * <p>The reference evaluation collects each sentence's spans per label into a Python set, so a span listed twice in
 * the same sentence counts once, on either side; the same span in two different sentences counts twice. Labels are
 * compared exactly: the dataset loader has already lower-cased prompts and gold types alike. A gold span with a word
 * index of -1 (an entity that cuts through a word) counts as gold and matches nothing, as the reference's
 * {@code None} index.
 */
public final class SpanMatcher {

    private SpanMatcher() {
    }

    /** Per-label counts for one sentence; a label appears when it has at least one gold or predicted span. */
    public static Map<String, MatchCounts> match(List<GoldSpan> gold, List<Entity> predicted) {
        Map<String, Set<Long>> goldByLabel = new LinkedHashMap<>();
        for (GoldSpan span : gold) {
            goldByLabel.computeIfAbsent(span.type(), label -> new HashSet<>()).add(wordRange(span.start(), span.end()));
        }
        Map<String, Set<Long>> predictedByLabel = new LinkedHashMap<>();
        for (Entity entity : predicted) {
            predictedByLabel.computeIfAbsent(entity.label(), label -> new HashSet<>())
                    .add(wordRange(entity.startWord(), entity.endWord()));
        }
        Map<String, MatchCounts> counts = new LinkedHashMap<>();
        goldByLabel.forEach((label, goldRanges) -> {
            Set<Long> predictedRanges = predictedByLabel.getOrDefault(label, Set.of());
            long correct = goldRanges.stream().filter(predictedRanges::contains).count();
            counts.put(label, new MatchCounts(goldRanges.size(), predictedRanges.size(), correct));
        });
        predictedByLabel.forEach((label, predictedRanges) ->
                counts.putIfAbsent(label, new MatchCounts(0, predictedRanges.size(), 0)));
        return counts;
    }

    private static long wordRange(int start, int end) {
        return ((long) start << 32) | (end & 0xFFFFFFFFL);
    }
}
