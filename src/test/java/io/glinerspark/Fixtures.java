package io.glinerspark;

import java.nio.file.Path;

/** The synthetic model bundles under src/test/resources/fixtures (logits documented in training/fixtures). */
final class Fixtures {

    private Fixtures() {
    }

    static Path bundle(String name) {
        return Path.of(System.getProperty("gliner.repo.root", "."), "src/test/resources/fixtures", name);
    }

    /** CPU, one thread each: tests share two cores. */
    static ModelOptions options(String name) {
        return ModelOptions.defaults().withSource(bundle(name).toString()).withIntraOpThreads(1);
    }

    /** float32 sigmoid of a fixture logit, computed independently of the engine. */
    static float p(double logit) {
        return (float) (1.0 / (1.0 + Math.exp(-logit)));
    }
}
