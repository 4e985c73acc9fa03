package io.glinerspark.source;

import java.net.URI;
import java.nio.file.Path;

/** Resolves a hub model in a JVM of its own, for tests of cache sharing between processes. */
final class ResolveInChildJvm {

    private ResolveInChildJvm() {
    }

    /** Arguments: source, cache folder, hub endpoint. Prints the resolved folder. */
    public static void main(String[] args) {
        SourceSettings settings = SourceSettings.fromEnvironment(name -> null).withHubEndpoint(URI.create(args[2]));
        System.out.println(ModelSources.locate(args[0], "model.onnx", Path.of(args[1]), settings).folder());
    }
}
