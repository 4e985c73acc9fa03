package io.glinerspark.source;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The ONNX graphs of a bundle for one ONNX file setting, and which of them a session loads on which device.
 *
 * <p>A bundle may hold one graph per kind of device: {@value #CPU_GRAPH} for the CPU and, beside it in the same
 * folder, {@value #GPU_GRAPH} for CUDA (float16, with operators that ONNX Runtime's CUDA provider runs). The ONNX file
 * setting {@value #AUTO}, its default, takes both: a session on CUDA loads the GPU graph when the bundle has one, a
 * session on the CPU (a CUDA request that fell back to the CPU included) the CPU graph. Any other value names the one
 * graph every device loads. The graphs of a bundle are one model: its fingerprint covers both, and shipping it ships
 * both.
 *
 * @param cpu bundle-relative path of the graph a CPU session loads ('/' separators)
 * @param gpu bundle-relative path of the graph a CUDA session loads, or null when the CPU graph serves every device
 */
public record BundleGraphs(String cpu, String gpu) {

    /** The ONNX file setting that picks the graph by device. */
    public static final String AUTO = "auto";
    /** The graph for the CPU, and for every device of a bundle without a GPU graph. */
    public static final String CPU_GRAPH = "model.onnx";
    /** The graph for CUDA, beside the CPU graph. */
    public static final String GPU_GRAPH = "model.gpu.onnx";

    /** Whether {@code onnxFile} is the setting that picks the graph by device. */
    public static boolean isAuto(String onnxFile) {
        return onnxFile != null && onnxFile.strip().toLowerCase(Locale.ROOT).equals(AUTO);
    }

    /**
     * The graphs that {@code onnxFile} takes among {@code available} (bundle-relative paths), or null when the CPU
     * graph (for an explicit name: that file) is not among them.
     *
     * @throws ModelSourceException when {@code onnxFile} is not a file name or a relative path inside the bundle
     */
    public static BundleGraphs find(Collection<String> available, String onnxFile) {
        String cpu = BundleFiles.onnxCandidates(onnxFile).stream().filter(available::contains).findFirst().orElse(null);
        if (cpu == null) {
            return null;
        }
        String gpu = null;
        if (isAuto(onnxFile)) {
            String sibling = cpu.substring(0, cpu.lastIndexOf('/') + 1) + GPU_GRAPH;
            gpu = available.contains(sibling) ? sibling : null;
        }
        return new BundleGraphs(cpu, gpu);
    }

    /**
     * The graphs that {@code onnxFile} takes in the local bundle {@code folder}, or null when its CPU graph is missing.
     *
     * @throws ModelSourceException when the setting is malformed or the folder cannot be listed
     */
    public static BundleGraphs in(Path folder, String onnxFile) {
        TreeSet<String> available = BundleFiles.listed(folder, onnxFile);
        return find(available, onnxFile);
    }

    /** The graph a session on CUDA ({@code cuda} true) or on the CPU loads: the one place that maps device to graph. */
    public String forDevice(boolean cuda) {
        return cuda && gpu != null ? gpu : cpu;
    }

    /** Every graph, the CPU graph last. */
    public List<String> all() {
        return gpu == null ? List.of(cpu) : List.of(gpu, cpu);
    }
}
