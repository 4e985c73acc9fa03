package io.glinerspark.encode;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DJL must load the tokenizer library bundled in the jar (its CPU build), on GPU hosts too, without user settings. */
@Tag("core")
class TokenizerFlavorTest {

    private static final Path TOKENIZER = Path.of(System.getProperty("gliner.repo.root", "."),
            "src/test/resources/fixtures/tokenizer.json");

    @Test
    void theCpuBuildIsChosenBeforeDjlLoadsItsLibrary() throws IOException, InterruptedException {
        String output = runChild(List.of());
        assertTrue(output.contains("flavor=cpu"), output);
    }

    @Test
    void aFlavorTheUserChoseIsKept() throws IOException, InterruptedException {
        // Any value the user set stays; the tokenizer is not loaded, so an unknown flavor cannot fail the probe.
        String output = runChild(List.of("-D" + GlinerTokenizer.FLAVOR + "=cu124", "-Dprobe.skipLoad=true"));
        assertTrue(output.contains("flavor=cu124"), output);
    }

    /** A fresh JVM: the choice is made once per JVM, when the tokenizer class initialises, and DJL offline is off. */
    private static String runChild(List<String> properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        command.addAll(properties);
        command.addAll(List.of(FlavorProbe.class.getName(), TOKENIZER.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(GlinerTokenizer.FLAVOR);
        builder.environment().remove("DJL_OFFLINE");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
