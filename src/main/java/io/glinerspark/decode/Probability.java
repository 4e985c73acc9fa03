package io.glinerspark.decode;

/** The logit-to-probability step shared by both decoders. */
final class Probability {

    private Probability() {
    }

    /**
     * Sigmoid rounded to float32, as the reference computes it on a float32 tensor. Deciding on the rounded value
     * matters at the threshold: logits in about (0, 1.2e-7) round to exactly 0.5, which {@code p > 0.5} rejects.
     */
    static float sigmoid(float logit) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) logit)));
    }
}
