package io.glinerspark.runtime;

import io.glinerspark.types.ModelLoadException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Which ONNX Runtime build a classpath loads decides whether CUDA can work: the CPU build must say that CUDA is not
 * in it (not fall back silently), and the CUDA build must really try to load CUDA, failing on a machine without it
 * by naming the missing CUDA 12 library.
 */
@Tag("core")
class OrtBuildTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath();
    private static final Path MODEL = ROOT.resolve("src/test/resources/fixtures/span/model.onnx");
    /** A CUDA 12 shared library as the dynamic loader names it, e.g. libcublasLt.so.12. */
    private static final Pattern CUDA_12_LIBRARY = Pattern.compile("lib[A-Za-z_]+\\.so\\.12");

    @Test
    void cpuBuildSaysCudaIsNotInItWhenCudaIsRequired() throws IOException {
        requireCpuBuild();
        assertFalse(OrtBuild.hasCuda(), "the default build's test classpath carries the CPU build: " + OrtBuild.describe());
        ModelLoadException error = assertThrows(ModelLoadException.class,
                () -> SessionCache.acquire(new SessionSpec(MODEL, Device.parse("cuda"), true, 1)));
        assertTrue(error.getMessage().contains("CUDA is not in this ONNX Runtime build"), error.getMessage());
        assertTrue(error.getMessage().contains(OrtBuild.GPU_ARTIFACT), error.getMessage());
    }

    @Test
    void cpuBuildFallsBackToTheCpuWithTheReasonWhenCudaIsOnlyAskedFor() throws IOException {
        requireCpuBuild();
        InferenceSession session = SessionCache.acquire(new SessionSpec(MODEL, Device.parse("cuda:1"), false, 1));
        try {
            assertEquals(Device.CPU, session.device());
            assertNotNull(session.fallbackReason());
            assertTrue(session.fallbackReason().startsWith("cuda:1 unavailable: CUDA is not in this ONNX Runtime build"),
                    session.fallbackReason());
        } finally {
            SessionCache.release(session);
        }
    }

    @Test
    void gpuBuildTriesCudaAndNamesTheMissingCuda12Library(@TempDir Path temp) throws IOException, InterruptedException {
        List<String> classpath = classpathWithGpuBuild();
        Path argfile = temp.resolve("java.args");
        Files.writeString(argfile, "-cp\n\"" + String.join(java.io.File.pathSeparator, classpath) + "\"\n",
                StandardCharsets.UTF_8);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argfile, "-Xmx512m", "-Djava.io.tmpdir=" + temp, CudaProbe.class.getName(), MODEL.toString());
        // stdout only: ONNX Runtime logs the missing library to stderr itself, the error must name it too
        Path stderr = temp.resolve("stderr.log");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), output);
        assertEquals(0, process.exitValue(), () -> output + readQuietly(stderr));
        assertTrue(output.contains("build: ") && output.contains("onnxruntime_gpu") && output.contains("CUDA"),
                "the child JVM runs the CUDA build: " + output);
        if (output.contains("device: cuda:0")) {
            return;   // a machine with a GPU and CUDA 12: the session really runs there
        }
        assertTrue(output.contains("error: device cuda:0 was required"), output);
        assertFalse(output.contains("CUDA is not in this ONNX Runtime build"), output);
        assertTrue(CUDA_12_LIBRARY.matcher(output).find(), "the error names the CUDA 12 library it lacks: " + output);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** The build's runtime classpath (target/classpath.txt), which names the ONNX Runtime build of this profile. */
    private static List<String> buildClasspath() throws IOException {
        return List.of(Files.readString(ROOT.resolve("target/classpath.txt")).trim().split(java.io.File.pathSeparator));
    }

    private static Path ortJar(List<String> classpath) {
        for (String entry : classpath) {
            if (Path.of(entry).getFileName().toString().matches("onnxruntime(_gpu)?-[0-9.]+\\.jar")) {
                return Path.of(entry);
            }
        }
        return fail("target/classpath.txt carries no ONNX Runtime jar");
    }

    /** The gpu profile tests with the CUDA build: there, only the CUDA half of this test applies. */
    private static void requireCpuBuild() throws IOException {
        Assumptions.assumeFalse(ortJar(buildClasspath()).getFileName().toString().startsWith("onnxruntime_gpu"),
                "skipped: this build (profile gpu) tests with the CUDA build of ONNX Runtime");
    }

    /**
     * This JVM's runtime classpath with the CPU build swapped for the CUDA build of the same version from the local
     * Maven repository. Skipped when that 640 MB artifact was not fetched (CI fetches it; it must be there in CI).
     */
    private static List<String> classpathWithGpuBuild() throws IOException {
        List<String> entries = new ArrayList<>(List.of(ROOT.resolve("target/classes").toString(),
                ROOT.resolve("target/test-classes").toString()));
        List<String> classpath = buildClasspath();
        Path ortJar = ortJar(classpath);
        for (String entry : classpath) {
            if (!Path.of(entry).equals(ortJar)) {
                entries.add(entry);
            }
        }
        String version = ortJar.getParent().getFileName().toString();
        Path gpuJar = ortJar.getParent().getParent().getParent()
                .resolve("onnxruntime_gpu").resolve(version).resolve("onnxruntime_gpu-" + version + ".jar");
        if (!Files.isRegularFile(gpuJar)) {
            String fetch = "mvn dependency:get -Dartifact=" + OrtBuild.GPU_ARTIFACT + ":" + version;
            if ("true".equals(System.getenv("CI"))) {
                fail(gpuJar + " is missing: CI must fetch it first (" + fetch + ", see .ci/run)");
            }
            Assumptions.abort("skipped: " + gpuJar + " is not in the local Maven repository (" + fetch + ")");
        }
        entries.add(0, gpuJar.toString());
        return entries;
    }
}
