package io.glinerspark.spark;

import io.glinerspark.GlinerModel;
import io.glinerspark.ModelInfo;

/**
 * What the tables and the job summary record about the model that produced a row.
 *
 * @param id       the model's source as configured (a path on the driver, a URI, an hf:// id or {@code default})
 * @param revision the model's revision when the source names one, else null
 * @param fixture  true for synthetic test models, whose predictions mean nothing
 */
record ModelIdentity(String id, String revision, boolean fixture) {

    /**
     * Loads the model on the driver's CPU (which checks it before any task starts) and describes it. The device
     * is the executors' business: a driver without a GPU must not fail a job that requires one on its executors.
     */
    static ModelIdentity of(ExecutorModel model) {
        ModelInfo info = GlinerModel.shared(model.taskOptions().withDevice("cpu", false)).info();
        return new ModelIdentity(model.options().source(), info.revision(), info.fixture());
    }

    String describe() {
        return id + (revision == null ? "" : " @ " + revision);
    }
}
