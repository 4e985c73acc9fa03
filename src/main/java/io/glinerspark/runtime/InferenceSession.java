package io.glinerspark.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.glinerspark.types.ModelLoadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session on the device it actually got. {@link OrtSession#run} is thread-safe, so one instance
 * serves every thread of the JVM (obtain it from {@link SessionCache}).
 */
public final class InferenceSession {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceSession.class);

    private final OrtSession session;
    private final SessionSpec spec;
    private final Device device;
    private final String fallbackReason;

    private InferenceSession(OrtSession session, SessionSpec spec, Device device, String fallbackReason) {
        this.session = session;
        this.spec = spec;
        this.device = device;
        this.fallbackReason = fallbackReason;
    }

    private static InferenceSession on(Device device, OrtEnvironment environment, SessionSpec spec, String fallbackReason)
            throws OrtException {
        return new InferenceSession(create(environment, spec.modelFileFor(device), spec, device.cuda()), spec, device,
                fallbackReason);
    }

    /**
     * Opens a session on the spec's graph for the device. A CUDA request that fails (a build without the CUDA provider,
     * no CUDA libraries, no GPU) falls back to the CPU with a logged warning, unless the spec requires the device; the
     * CPU session then loads the spec's CPU graph.
     *
     * @throws ModelLoadException when the file cannot be loaded or a required device is unavailable; for a device,
     *                            the message names what is missing (the CUDA build, or the CUDA library)
     */
    static InferenceSession open(SessionSpec spec) {
        OrtEnvironment environment = OrtRuntime.environment();
        String fallbackReason = null;
        if (spec.device().cuda()) {
            Throwable failure = null;
            String unavailable = null;
            if (!OrtBuild.hasCuda()) {
                unavailable = OrtBuild.withoutCuda();
            } else {
                try {
                    return on(spec.device(), environment, spec, null);
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    failure = e;
                    unavailable = e.getClass().getSimpleName() + ": " + e.getMessage() + CudaLibraries.describeMissing();
                }
            }
            if (spec.requireDevice()) {
                throw new ModelLoadException("device " + spec.device() + " was required but cannot be used for "
                        + spec.modelFile() + ": " + unavailable, failure);
            }
            fallbackReason = spec.device() + " unavailable: " + unavailable;
            LOG.warn("device {} is unavailable, running {} on the CPU instead ({})",
                    spec.device(), spec.cpuModelFile(), unavailable);
        }
        try {
            return on(Device.CPU, environment, spec, fallbackReason);
        } catch (OrtException | RuntimeException e) {
            throw new ModelLoadException("ONNX Runtime cannot load " + spec.cpuModelFile() + ": " + e.getMessage(), e);
        }
    }

    /** Fresh options per attempt: options that failed to take the CUDA provider are not reused for the CPU. */
    private static OrtSession create(OrtEnvironment environment, Path modelFile, SessionSpec spec, boolean cuda)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (spec.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(spec.intraOpThreads());
            }
            if (cuda) {
                options.addCUDA(spec.device().deviceId());
            }
            return environment.createSession(modelFile.toString(), options);
        }
    }

    /**
     * Runs the graph for one output.
     *
     * @return the output and the nanoseconds spent inside {@link OrtSession#run}
     */
    public TimedResult run(Map<String, OnnxTensor> inputs, String output) throws OrtException {
        long started = System.nanoTime();
        OrtSession.Result result = session.run(inputs, Set.of(output));
        return new TimedResult(result, System.nanoTime() - started);
    }

    /** The graph's declared inputs by name. */
    public Map<String, NodeInfo> inputs() throws OrtException {
        return session.getInputInfo();
    }

    /** The graph's declared outputs by name. */
    public Map<String, NodeInfo> outputs() throws OrtException {
        return session.getOutputInfo();
    }

    /** The spec this session was opened for. */
    public SessionSpec spec() {
        return spec;
    }

    /** The graph this session loaded: the spec's graph for the device it runs on. */
    public Path modelFile() {
        return spec.modelFileFor(device);
    }

    /** The device the session runs on (the CPU after a fallback). */
    public Device device() {
        return device;
    }

    /** Why the requested device was not used, or null when it was. */
    public String fallbackReason() {
        return fallbackReason;
    }

    void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the session of {} failed", modelFile(), e);
        }
    }

    /** A graph output with the time the run took. Closing it frees the output's native memory. */
    public record TimedResult(OrtSession.Result result, long nanos) implements AutoCloseable {
        @Override
        public void close() {
            result.close();
        }
    }
}
