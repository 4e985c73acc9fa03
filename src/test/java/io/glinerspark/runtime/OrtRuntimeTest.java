package io.glinerspark.runtime;

import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class OrtRuntimeTest {

    @Test
    void oneEnvironmentPerJvmWhateverTheThread() throws Exception {
        List<CompletableFuture<OrtEnvironment>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(CompletableFuture.supplyAsync(OrtRuntime::environment));
        }
        for (CompletableFuture<OrtEnvironment> future : futures) {
            assertSame(OrtRuntime.environment(), future.get());
        }
    }

    @Test
    void environmentSurvivesAVeryLongCommandLine() throws IOException, InterruptedException {
        // Spark classpaths make command lines of tens of KB; ONNX Runtime 1.29 crashed the JVM on them.
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dpadding=" + "x".repeat(64 * 1024),
                "-cp", System.getProperty("java.class.path"), EnvironmentProbe.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("ok"), output);
    }

    @Test
    void devicesParse() {
        assertEquals(Device.CPU, Device.parse(" CPU "));
        assertEquals(new Device(true, 0), Device.parse("cuda"));
        assertEquals(new Device(true, 3), Device.parse("cuda:3"));
        assertEquals("cuda:3", Device.parse("cuda:3").toString());
        assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:x"));
        assertThrows(IllegalArgumentException.class, () -> Device.parse("gpu"));
    }

    @Test
    void sessionsAreSharedPerSpecAndClosedByTheLastRelease() {
        Path model = Path.of(System.getProperty("gliner.repo.root", "."), "src/test/resources/fixtures/span/model.onnx");
        SessionSpec spec = new SessionSpec(model, Device.CPU, false, 1);
        InferenceSession first = SessionCache.acquire(spec);
        InferenceSession second = SessionCache.acquire(new SessionSpec(model.resolve("../model.onnx"), Device.CPU, false,
                1));
        InferenceSession otherOptions = SessionCache.acquire(new SessionSpec(model, Device.CPU, false, 2));
        try {
            assertSame(first, second);
            assertTrue(first != otherOptions);
        } finally {
            SessionCache.release(first);
            SessionCache.release(second);
            SessionCache.release(otherOptions);
        }
        assertThrows(IllegalStateException.class, () -> SessionCache.release(first));
        InferenceSession fresh = SessionCache.acquire(spec);
        try {
            assertTrue(fresh != first, "a released session is not handed out again");
        } finally {
            SessionCache.release(fresh);
        }
    }
}
