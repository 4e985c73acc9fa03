package io.glinerspark.decode;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("core")
class WindowMergeTest {

    @Test
    void keepsTheMaxScorePerSpanAndLabelInDecoderOrder() {
        List<SpanCandidate> first = List.of(new SpanCandidate(3, 4, 0, 0.6f), new SpanCandidate(5, 5, 1, 0.9f));
        List<SpanCandidate> second = List.of(new SpanCandidate(3, 4, 0, 0.8f), new SpanCandidate(3, 4, 1, 0.7f),
                new SpanCandidate(1, 3, 0, 0.55f));
        assertEquals(List.of(new SpanCandidate(1, 3, 0, 0.55f), new SpanCandidate(3, 4, 0, 0.8f),
                        new SpanCandidate(3, 4, 1, 0.7f), new SpanCandidate(5, 5, 1, 0.9f)),
                WindowMerge.merge(List.of(first, second)));
    }
}
