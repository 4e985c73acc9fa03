package io.glinerspark.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a model source resolved to.
 *
 * @param folder   the local folder holding the bundle
 * @param revision the exact revision the source fetched (a Hugging Face commit, even when a branch was asked for), or
 *                 null when the source has none (a plain folder, a Hadoop URI, the bundled model)
 */
public record ResolvedModel(Path folder, String revision) {

    public ResolvedModel {
        Objects.requireNonNull(folder, "folder");
    }
}
