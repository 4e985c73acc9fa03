package io.glinerspark.runtime;

import io.glinerspark.types.ModelLoadException;

import java.nio.file.Path;

/**
 * Started in a child JVM by {@link OrtBuildTest}: asks for a required CUDA session on the model file given as the
 * only argument and prints the build it ran on, then the device it got or the error.
 */
public final class CudaProbe {

    private CudaProbe() {
    }

    public static void main(String[] args) {
        System.out.println("build: " + OrtBuild.describe());
        try {
            InferenceSession session = SessionCache.acquire(new SessionSpec(Path.of(args[0]), Device.parse("cuda"),
                    true, 1));
            System.out.println("device: " + session.device());
            SessionCache.release(session);
        } catch (ModelLoadException e) {
            System.out.println("error: " + e.getMessage());
        }
    }
}
