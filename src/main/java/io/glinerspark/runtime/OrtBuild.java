package io.glinerspark.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.EnumSet;

/**
 * Which ONNX Runtime build this JVM runs. The CPU build ({@code com.microsoft.onnxruntime:onnxruntime}) and the CUDA
 * build ({@code onnxruntime_gpu}) share their class names, so with both on a classpath the first one wins; what
 * decides whether CUDA can work at all is the provider list of the build that was actually loaded.
 */
public final class OrtBuild {

    /** The Maven coordinates of the CUDA build, for messages that tell users what to put on the classpath. */
    public static final String GPU_ARTIFACT = "com.microsoft.onnxruntime:onnxruntime_gpu";

    private OrtBuild() {
    }

    /**
     * True when the loaded build carries the CUDA execution provider. The CUDA build says so even on a machine
     * without a GPU or CUDA libraries: true means "worth trying", not "will work".
     */
    public static boolean hasCuda() {
        return providers().contains(OrtProvider.CUDA);
    }

    /** Version, location and providers of the loaded build, e.g. for a fallback message. */
    public static String describe() {
        return "ONNX Runtime " + OrtRuntime.environment().getVersion() + " from " + location() + ", providers "
                + providers();
    }

    /** Why a CUDA session cannot be had from this build, and what fixes it. */
    static String withoutCuda() {
        return "CUDA is not in this ONNX Runtime build (" + describe() + "): put " + GPU_ARTIFACT + ":"
                + OrtRuntime.environment().getVersion() + " on the classpath instead of the CPU build (the gpu build "
                + "of gliner-spark, mvn -Pgpu package, leaves ONNX Runtime out of its jar for this)";
    }

    private static EnumSet<OrtProvider> providers() {
        OrtRuntime.environment();
        return OrtEnvironment.getAvailableProviders();
    }

    /** The jar (or folder) the ONNX Runtime classes were loaded from. */
    private static String location() {
        CodeSource source = OrtEnvironment.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "an unknown location";
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return source.getLocation().toString();
        }
    }
}
