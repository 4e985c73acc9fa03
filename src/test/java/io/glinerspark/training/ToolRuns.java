package io.glinerspark.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the tests of the model tools share: probing a Python, reading a tool's log, removing what a run wrote. */
final class ToolRuns {

    private ToolRuns() {
    }

    /** Whether {@code python} runs {@code code} without error (the modules a tool needs import, say). */
    static boolean probe(Path python, String code) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(python.toString(), "-c", code).redirectErrorStream(true).start();
        probe.getOutputStream().close();
        return probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0;
    }

    /** A tool's log for a failure message, also when it cannot be read. */
    static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Removes {@code root} and everything below it, if it exists: tool runs write large model copies. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
