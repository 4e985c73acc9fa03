package io.glinerspark.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;

/** The one ONNX Runtime environment of this JVM. */
public final class OrtRuntime {

    /**
     * ONNX Runtime 1.29 runs a recursive regex over the process command line while creating its environment; with
     * the long classpaths of Spark that overflows a normal thread stack and kills the JVM without a Java error. A
     * 64 MiB stack makes environment creation safe for any command line without relying on environment variables.
     */
    private static final long INIT_STACK_BYTES = 64L << 20;

    private static volatile OrtEnvironment environment;

    private OrtRuntime() {
    }

    /** The JVM-wide environment, created on first use. */
    public static OrtEnvironment environment() {
        OrtEnvironment current = environment;
        if (current != null) {
            return current;
        }
        synchronized (OrtRuntime.class) {
            if (environment == null) {
                environment = createOnLargeStack();
            }
            return environment;
        }
    }

    private static OrtEnvironment createOnLargeStack() {
        OrtEnvironment[] created = new OrtEnvironment[1];
        Throwable[] failure = new Throwable[1];
        Thread init = new Thread(null, () -> {
            try {
                created[0] = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "gliner-spark");
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "onnxruntime-init", INIT_STACK_BYTES);
        init.setDaemon(true);
        init.start();
        try {
            init.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the ONNX Runtime environment", e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException("cannot create the ONNX Runtime environment: " + failure[0], failure[0]);
        }
        return created[0];
    }
}
