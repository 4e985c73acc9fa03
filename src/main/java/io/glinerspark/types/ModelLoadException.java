package io.glinerspark.types;

/**
 * A model could not be loaded: a missing or inconsistent bundle file, a graph that does not follow the GLiNER
 * ONNX contract, or a device that was required but cannot be used. The message names the file or option at fault.
 */
public class ModelLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
