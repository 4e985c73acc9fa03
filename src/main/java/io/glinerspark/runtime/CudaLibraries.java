package io.glinerspark.runtime;

import com.sun.jna.NativeLibrary;

import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA libraries that ONNX Runtime's CUDA provider needs, looked up the way the dynamic loader finds them
 * ({@code LD_LIBRARY_PATH}, the loader cache). ONNX Runtime's own exception only says "Failed to load shared
 * library" and prints the missing name to the process's stderr, out of reach of a caller or a Spark driver; this
 * names it in the error itself.
 */
final class CudaLibraries {

    /**
     * What the provider of the onnxruntime_gpu 1.2x builds (CUDA 12) links against, in the order the loader
     * resolves them, then cuDNN 9, which it opens when a session starts.
     */
    private static final List<String> REQUIRED = List.of("libcublasLt.so.12", "libcublas.so.12", "libcurand.so.10",
            "libcudart.so.12", "libcuda.so.1", "libcudnn.so.9");

    private CudaLibraries() {
    }

    /** The required libraries the loader cannot open here; empty when all are found (or off Linux). */
    static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return missing;
        }
        for (String library : REQUIRED) {
            try {
                NativeLibrary.getInstance(library);
            } catch (UnsatisfiedLinkError e) {
                missing.add(library);
            }
        }
        return missing;
    }

    /** " (missing CUDA libraries: ...)" for a failed CUDA session, or "" when none is missing. */
    static String describeMissing() {
        List<String> missing = missing();
        return missing.isEmpty() ? "" : " (missing CUDA libraries: " + String.join(", ", missing)
                + "; this ONNX Runtime build needs CUDA 12 and cuDNN 9 on the library path)";
    }
}
