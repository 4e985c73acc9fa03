package io.glinerspark.spark.delta;

import java.util.Locale;

/**
 * How a batch of results meets the rows already in the tables (see {@link EntityTableWriter}).
 * <ul>
 *   <li>{@link #APPEND}: adds rows; running a batch twice stores it twice, except for stream micro-batches written
 *       with a {@link StreamBatch}, which Delta's idempotent writes store once however often they replay.</li>
 *   <li>{@link #MERGE}: idempotent upsert keyed on {@link EntityTables#KEY}.</li>
 *   <li>{@link #OVERWRITE}: replaces the tables' contents; not for streams.</li>
 * </ul>
 */
public enum WriteMode {
    APPEND, MERGE, OVERWRITE;

    /** Parses {@code append}, {@code merge} or {@code overwrite}, naming {@code setting} when it is none. */
    public static WriteMode parse(String value, String setting) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": expected append, merge or overwrite, got '" + value + "'");
        }
    }

    /** @throws IllegalArgumentException when this mode cannot write a stream exactly once */
    void requireStreamable() {
        if (this == OVERWRITE) {
            throw new IllegalArgumentException("mode overwrite cannot write a stream: each micro-batch would replace "
                    + "the tables and keep only its own documents; use merge (or append)");
        }
    }
}
