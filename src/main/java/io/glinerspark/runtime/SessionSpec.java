package io.glinerspark.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything that makes two ONNX Runtime sessions different; equal specs share one session per JVM.
 *
 * @param modelFile      absolute, normalized path of the ONNX file
 * @param device         requested device
 * @param requireDevice  fail instead of falling back to the CPU
 * @param intraOpThreads 0 = runtime default
 */
public record SessionSpec(Path modelFile, Device device, boolean requireDevice, int intraOpThreads) {

    public SessionSpec {
        modelFile = modelFile.toAbsolutePath().normalize();
        Objects.requireNonNull(device, "device");
    }
}
