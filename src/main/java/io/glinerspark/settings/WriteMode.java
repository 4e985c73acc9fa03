package io.glinerspark.settings;

/** How a batch of results meets the rows already in the output tables (the {@code mode} setting). */
public enum WriteMode {
    /** Adds the batch's rows. */
    APPEND,
    /** Replaces each document's rows by the batch's (an idempotent upsert). */
    MERGE,
    /** Replaces the tables' contents; not for streams. */
    OVERWRITE
}
