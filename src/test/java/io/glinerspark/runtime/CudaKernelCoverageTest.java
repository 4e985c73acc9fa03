package io.glinerspark.runtime;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operator of every GPU graph in the repository ({@code *.gpu.onnx}) has a kernel in ONNX Runtime's CUDA
 * provider, for the opset version the graph imports and the element type of its first input. A node without one runs
 * on the CPU, with copies between GPU and CPU memory around it, and nothing fails: this is the check that it does not
 * happen, made without a GPU from ONNX Runtime's own list of CUDA kernels (src/test/resources/ort/cuda-kernels.tsv,
 * transcribed from its docs/OperatorKernels.md). Whether the graph really runs on a GPU, and how fast, needs one.
 */
@Tag("core")
class CudaKernelCoverageTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath().normalize();
    private static final Path TABLE = ROOT.resolve("src/test/resources/ort/cuda-kernels.tsv");
    private static final Path DEFAULT_GPU_GRAPH = ROOT.resolve("models/default/model.gpu.onnx");
    /** ONNX Runtime turns Constant nodes into initializers when it loads a graph: no kernel runs them on any device. */
    private static final Set<String> FOLDED_AT_LOAD = Set.of("ai.onnx Constant");

    /** One row of the table: a CUDA kernel for an operator's opset versions [since, until] and its input types. */
    record Kernel(String domain, String op, long since, long until, Set<String> firstInputTypes) {

        boolean covers(OnnxNodes.Node node) {
            return domain.equals(node.domain()) && op.equals(node.opType()) && since <= node.opset() && node.opset() <= until;
        }
    }

    static List<Kernel> table() throws IOException {
        List<Kernel> kernels = new ArrayList<>();
        boolean header = true;
        for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (header) {
                assertEquals("domain\top\tsince\tuntil\ttypes", line, TABLE + " header");
                header = false;
                continue;
            }
            String[] cells = line.split("\t", -1);
            assertEquals(5, cells.length, () -> TABLE + ": " + line);
            String firstConstraint = cells[4].split(";")[0];
            Set<String> types = Set.of(firstConstraint.substring(firstConstraint.indexOf('=') + 1).split(","));
            kernels.add(new Kernel(cells[0], cells[1], Long.parseLong(cells[2]),
                    cells[3].isEmpty() ? Long.MAX_VALUE : Long.parseLong(cells[3]), types));
        }
        return kernels;
    }

    /** What of {@code graph} would not run on CUDA, one line per distinct operator, version and input type. */
    static List<String> gaps(Path graph, List<Kernel> table) throws IOException {
        Set<String> gaps = new LinkedHashSet<>();
        for (OnnxNodes.Node node : OnnxNodes.of(graph)) {
            String name = node.domain() + " " + node.opType();
            if (FOLDED_AT_LOAD.contains(name)) {
                continue;
            }
            List<Kernel> kernels = table.stream().filter(k -> k.covers(node)).toList();
            String type = OnnxNodes.TYPE_NAMES.get(node.inputType());
            if (kernels.isEmpty()) {
                gaps.add(name + " (opset " + node.opset() + "): no CUDA kernel");
            } else if (type != null && kernels.stream().noneMatch(k -> k.firstInputTypes().contains(type))) {
                gaps.add(name + " (opset " + node.opset() + "): the CUDA kernel takes " + kernels.get(0).firstInputTypes()
                        + ", not " + type);
            }
        }
        return List.copyOf(gaps);
    }

    static List<Path> gpuGraphs() throws IOException {
        List<Path> graphs = new ArrayList<>();
        for (Path folder : List.of(ROOT.resolve("models"), ROOT.resolve("src/test/resources"))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(p -> p.getFileName().toString().endsWith(".gpu.onnx") && Files.isRegularFile(p))
                        .sorted().forEach(graphs::add);
            }
        }
        return graphs;
    }

    @Test
    void everyOperatorOfEveryGpuGraphHasACudaKernel() throws IOException {
        List<Path> graphs = gpuGraphs();
        assertTrue(graphs.contains(DEFAULT_GPU_GRAPH), "the bundled model has its GPU graph: " + graphs);
        List<Kernel> table = table();
        for (Path graph : graphs) {
            assertEquals(List.of(), gaps(graph, table), ROOT.relativize(graph) + " has operators that would run on the CPU");
        }
    }

    @Test
    void theGpuGraphMultipliesInFloat16() throws IOException {
        List<OnnxNodes.Node> products = OnnxNodes.of(DEFAULT_GPU_GRAPH).stream()
                .filter(n -> n.opType().equals("MatMul") || n.opType().equals("Attention")).toList();
        assertFalse(products.isEmpty());
        for (OnnxNodes.Node node : products) {
            assertEquals("float16", OnnxNodes.TYPE_NAMES.get(node.inputType()), node + " runs in float16 on the tensor cores");
        }
    }

    @Test
    void theCheckFindsOperatorsAndTypesThatCudaLacks() throws IOException {
        // The CPU graph quantizes activations at run time for the CPU's int8 dot products: ONNX Runtime's CUDA provider
        // has no DynamicQuantizeLinear.
        List<String> cpuGraphGaps = gaps(ROOT.resolve("models/default/model.onnx"), table());
        assertTrue(cpuGraphGaps.contains("ai.onnx DynamicQuantizeLinear (opset 17): no CUDA kernel"), cpuGraphGaps.toString());
        // A kernel for the operator but not for the type of its input counts as missing too.
        List<Kernel> floatMatMulOnly = table().stream()
                .map(k -> k.op().equals("MatMul") ? new Kernel(k.domain(), k.op(), k.since(), k.until(), Set.of("float")) : k)
                .toList();
        assertEquals(List.of("ai.onnx MatMul (opset 17): the CUDA kernel takes [float], not float16"),
                gaps(DEFAULT_GPU_GRAPH, floatMatMulOnly));
    }

    @Test
    void theTableIsForTheOnnxRuntimeVersionTheBuildUses() throws IOException {
        Matcher version = Pattern.compile("<onnxruntime\\.version>([^<]+)</onnxruntime\\.version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(version.find(), "pom.xml sets onnxruntime.version");
        String header = String.join("\n", Files.readAllLines(TABLE).stream().filter(l -> l.startsWith("#")).toList());
        assertTrue(header.contains("OperatorKernels.md") && header.contains("ONNX Runtime " + version.group(1)),
                "after changing onnxruntime.version, check " + TABLE + " against that version's docs/OperatorKernels.md and "
                        + "name the version in its header: " + header);
    }
}
