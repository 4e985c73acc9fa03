package io.glinerspark.spark;

import io.glinerspark.ModelOptions;

/**
 * What the tables record about the model that produced a row.
 *
 * @param id       the model's identity: its source as configured
 * @param revision the model's revision, when known
 * @param fixture  true when the model is a test fixture with meaningless output
 */
record ModelIdentity(String id, String revision, boolean fixture) {

    static ModelIdentity of(ModelOptions options) {
        return new ModelIdentity(options.source(), null, false);
    }

    String describe() {
        return id + (revision == null ? "" : " @ " + revision);
    }
}
