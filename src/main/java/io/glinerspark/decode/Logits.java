package io.glinerspark.decode;

import io.glinerspark.types.TokenScore;

import java.util.List;

/** A batch's graph output, decodable row by row into candidate spans. */
public sealed interface Logits permits SpanLogits, TokenLogits {

    /**
     * Candidates of one row, in the reference's enumeration order.
     *
     * @param numWords   words of the row's text
     * @param thresholds per label index, applied before the greedy selection
     * @param scoring    span score formula of token-level models; span models ignore it
     */
    List<SpanCandidate> decode(int row, int numWords, float[] thresholds, TokenScore scoring);

}
