package io.glinerspark.spark;

import io.glinerspark.GlinerModel;
import io.glinerspark.ModelInfo;
import io.glinerspark.spark.task.JobModel;

/**
 * What the tables and the job summary record about the model that produced a row. Both keys come from the files
 * that were loaded, not from how the source was spelled: {@code hf://x}, {@code hf://x@main} and a local copy of the
 * same files are one model, and a changed file is another.
 *
 * @param id       {@link ModelInfo#id()}: the bundle's readable name and the first 16 hex digits of its content
 *                 fingerprint, e.g. {@code gliner-spark-minilm-l6-v1-0f3c9a5e12d4b7a8}
 * @param revision the full fingerprint as {@code sha256:<64 hex>}, preceded by the Hugging Face commit (or the
 *                 bundle's {@code model_version}) and a space when there is one
 * @param fixture  true for synthetic test models, whose predictions mean nothing
 */
public record ModelIdentity(String id, String revision, boolean fixture) {

    /**
     * Loads the model on the driver's CPU (which checks it before any task starts) and describes it. The device
     * is the executors' business: a driver without a GPU must not fail a job that requires one on its executors.
     */
    public static ModelIdentity of(JobModel model) {
        ModelInfo info;
        try (GlinerModel loaded = model.onDriver()) {
            info = loaded.info();
        }
        String revision = (info.revision() == null ? "" : info.revision() + " ") + "sha256:" + info.fingerprint();
        return new ModelIdentity(info.id(), revision, info.fixture());
    }

    /** The id and the revision, for a job's summary line. */
    public String describe() {
        return id + " (" + revision + ")";
    }
}
