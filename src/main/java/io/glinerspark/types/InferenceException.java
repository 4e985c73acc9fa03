package io.glinerspark.types;

/**
 * The graph could not be run on a batch: an ONNX Runtime error, device memory exhausted, a closed or broken session,
 * output that breaks the model's contract. No text of the batch is at fault, so this is never a per-text result: it
 * fails the whole call, and a caller that can retry (a Spark task) should.
 */
public final class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
