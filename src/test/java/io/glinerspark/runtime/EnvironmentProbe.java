package io.glinerspark.runtime;

/** Started in a child JVM by {@link OrtRuntimeTest}: creates the environment and prints "ok". */
public final class EnvironmentProbe {

    private EnvironmentProbe() {
    }

    public static void main(String[] args) {
        OrtRuntime.environment();
        System.out.println("ok");
    }
}
