package io.glinerspark.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything that makes two ONNX Runtime sessions different; equal specs share one session per JVM.
 *
 * @param modelFile      absolute, normalized path of the ONNX graph for the requested device
 * @param cpuModelFile   absolute, normalized path of the graph a session on the CPU loads: a CUDA request that falls
 *                       back to the CPU loads this one, not the GPU graph (the same file when the bundle has one graph)
 * @param device         requested device
 * @param requireDevice  fail instead of falling back to the CPU
 * @param intraOpThreads 0 = runtime default
 */
public record SessionSpec(Path modelFile, Path cpuModelFile, Device device, boolean requireDevice, int intraOpThreads) {

    public SessionSpec {
        modelFile = modelFile.toAbsolutePath().normalize();
        cpuModelFile = cpuModelFile.toAbsolutePath().normalize();
        Objects.requireNonNull(device, "device");
    }

    /** A spec whose one graph serves every device. */
    public SessionSpec(Path modelFile, Device device, boolean requireDevice, int intraOpThreads) {
        this(modelFile, modelFile, device, requireDevice, intraOpThreads);
    }

    /** The graph a session on {@code actual} loads. */
    public Path modelFileFor(Device actual) {
        return actual.cuda() ? modelFile : cpuModelFile;
    }
}
