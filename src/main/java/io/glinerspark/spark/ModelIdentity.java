package io.glinerspark.spark;

import io.glinerspark.ModelInfo;

/**
 * What the tables and the job summary record about the model that produced a row.
 *
 * @param id       the model's source as configured (a path on the driver, a URI, an hf:// id or {@code default})
 * @param revision the model's revision when the source names one, else null
 * @param fixture  true for synthetic test models, whose predictions mean nothing
 * @param device   where the driver's copy runs, with the reason when it fell back to CPU
 */
record ModelIdentity(String id, String revision, boolean fixture, String device) {

    /** Loads the model on the driver (which also checks it before any task starts) and describes it. */
    static ModelIdentity of(ExecutorModel model) {
        ModelInfo info = model.get().info();
        String device = info.device() + (info.deviceFallback() == null ? "" : " (fallback: " + info.deviceFallback() + ")");
        return new ModelIdentity(model.options().source(), info.revision(), info.fixture(), device);
    }

    String describe() {
        return id + (revision == null ? "" : " @ " + revision);
    }
}
