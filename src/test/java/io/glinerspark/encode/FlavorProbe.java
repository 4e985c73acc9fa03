package io.glinerspark.encode;

import java.nio.file.Path;

/** Started in a child JVM by {@link TokenizerFlavorTest}: loads a tokenizer and prints DJL's library flavor. */
public final class FlavorProbe {

    private FlavorProbe() {
    }

    public static void main(String[] args) {
        if (Boolean.getBoolean("probe.skipLoad")) {
            initialise();
        } else {
            try (GlinerTokenizer tokenizer = GlinerTokenizer.load(Path.of(args[0]))) {
                System.out.println("pad=" + tokenizer.padId());
            }
        }
        System.out.println("flavor=" + System.getProperty(GlinerTokenizer.FLAVOR));
    }

    /** Runs the class initialiser without loading DJL's native library. */
    private static void initialise() {
        try {
            Class.forName(GlinerTokenizer.class.getName(), true, FlavorProbe.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
