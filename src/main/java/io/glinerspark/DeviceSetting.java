package io.glinerspark;

import io.glinerspark.runtime.Device;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device a model is asked to run on, as configured: {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}.
 * {@code auto} and {@code cuda} leave the GPU to whoever schedules the work, see {@link #resolve(String)}.
 *
 * @param target  what kind of device
 * @param ordinal the CUDA device ordinal of {@code cuda:N}, or -1 when none was named
 */
public record DeviceSetting(Target target, int ordinal) implements Serializable {

    private static final Pattern SYNTAX = Pattern.compile("auto|cpu|cuda(?::(\\d+))?");

    /** What kind of device is asked for. */
    public enum Target {
        /** The GPU the scheduler assigned, else the CPU. */
        AUTO,
        CPU,
        /** A GPU: the one named, else the one the scheduler assigned, else GPU 0. */
        CUDA
    }

    public static final DeviceSetting AUTO = new DeviceSetting(Target.AUTO, -1);
    public static final DeviceSetting CPU = new DeviceSetting(Target.CPU, -1);

    public DeviceSetting {
        Objects.requireNonNull(target, "target");
        if (ordinal < -1 || (ordinal >= 0 && target != Target.CUDA)) {
            throw new IllegalArgumentException("only cuda names a device ordinal, got " + target + ":" + ordinal);
        }
    }

    /** The device {@code text} names ({@code auto}, {@code cpu}, {@code cuda}, {@code cuda:N}, any case), or null. */
    public static DeviceSetting parseOrNull(String text) {
        Matcher matcher = SYNTAX.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return null;
        }
        return switch (matcher.group().substring(0, 3)) {
            case "aut" -> AUTO;
            case "cpu" -> CPU;
            default -> new DeviceSetting(Target.CUDA, matcher.group(1) == null ? -1 : Integer.parseInt(matcher.group(1)));
        };
    }

    /** A named CUDA device. */
    public static DeviceSetting cuda(int ordinal) {
        return new DeviceSetting(Target.CUDA, ordinal);
    }

    /**
     * The concrete device for a process where the scheduler assigned GPU {@code assignedGpu} (null: none): {@code
     * auto} is that GPU or the CPU, {@code cuda} that GPU or GPU 0, a named device itself.
     */
    public Device resolve(String assignedGpu) {
        return switch (target) {
            case CPU -> Device.CPU;
            case AUTO -> assignedGpu == null ? Device.CPU : new Device(true, Integer.parseInt(assignedGpu));
            case CUDA -> new Device(true, ordinal >= 0 ? ordinal
                    : assignedGpu == null ? 0 : Integer.parseInt(assignedGpu));
        };
    }

    /** The device as a {@link DeviceSetting} of its own. */
    public static DeviceSetting of(Device device) {
        return device.cuda() ? cuda(device.deviceId()) : CPU;
    }

    /** The text form, which {@link #parseOrNull(String)} reads back. */
    @Override
    public String toString() {
        return switch (target) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> ordinal >= 0 ? "cuda:" + ordinal : "cuda";
        };
    }
}
