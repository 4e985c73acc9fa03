package io.glinerspark;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's public test and benchmark data, kept outside the repository in {@code ../shared/data}. A clone
 * without that folder skips the tests that read it instead of failing them. The system property
 * {@code gliner.shared.data} points elsewhere (and lets a test run check the skip).
 */
public final class SharedData {

    /** System property naming the data folder; default {@code <repository>/../shared/data}. */
    public static final String PROPERTY = "gliner.shared.data";

    private SharedData() {
    }

    /** The data folder, whether or not it exists. */
    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("gliner.repo.root", "."), "..", "shared", "data").normalize();
    }

    /** {@code relative} inside the data folder; skips the calling test when it is not there. */
    public static Path require(String relative) {
        Path path = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(path), () -> "skipped: " + path + " is absent (the shared test data "
                + "lives beside the repository in ../shared/data, or where -D" + PROPERTY + " points)");
        return path;
    }
}
