package io.glinerspark.runtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a session runs.
 *
 * @param cuda     true for a CUDA GPU, false for the CPU
 * @param deviceId the CUDA device ordinal (0 for the CPU)
 */
public record Device(boolean cuda, int deviceId) {

    private static final Pattern CUDA = Pattern.compile("cuda(?::(\\d+))?");

    public static final Device CPU = new Device(false, 0);

    /** Parses {@code cpu}, {@code cuda} (device 0) or {@code cuda:N}, case-insensitively. */
    public static Device parse(String spec) {
        String normalized = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (normalized.equals("cpu")) {
            return CPU;
        }
        Matcher matcher = CUDA.matcher(normalized);
        if (matcher.matches()) {
            return new Device(true, matcher.group(1) == null ? 0 : Integer.parseInt(matcher.group(1)));
        }
        throw new IllegalArgumentException("device must be cpu, cuda or cuda:N, got '" + spec + "'");
    }

    @Override
    public String toString() {
        return cuda ? "cuda:" + deviceId : "cpu";
    }
}
