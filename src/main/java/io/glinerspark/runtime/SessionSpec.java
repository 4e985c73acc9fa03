package io.glinerspark.runtime;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that makes two ONNX Runtime sessions different; equal specs share one session per JVM.
 *
 * @param modelFile      absolute, normalized path of the ONNX file
 * @param device         requested device
 * @param requireDevice  fail instead of falling back to the CPU
 * @param intraOpThreads 0 = runtime default
 * @param interOpThreads 0 = runtime default
 * @param optimization   {@code none}, {@code basic}, {@code extended} or {@code all}
 */
public record SessionSpec(Path modelFile, Device device, boolean requireDevice, int intraOpThreads,
                          int interOpThreads, String optimization) {

    public SessionSpec {
        modelFile = modelFile.toAbsolutePath().normalize();
        Objects.requireNonNull(device, "device");
        optimization = optimization.trim().toLowerCase(Locale.ROOT);
        optimizationLevel(optimization);
    }

    OptLevel optimizationLevel() {
        return optimizationLevel(optimization);
    }

    private static OptLevel optimizationLevel(String name) {
        return switch (name) {
            case "none" -> OptLevel.NO_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "all" -> OptLevel.ALL_OPT;
            default -> throw new IllegalArgumentException(
                    "optimization must be none, basic, extended or all, got '" + name + "'");
        };
    }
}
