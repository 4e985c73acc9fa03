package io.glinerspark.spark.delta;

/** A Delta table given by path ({@code /data/x}, {@code s3a://b/x}) or by catalog name ({@code db.x}). */
public record DeltaTarget(String path, String table) {

    public DeltaTarget {
        if ((path == null) == (table == null)) {
            throw new IllegalArgumentException("a target is either a path or a table name");
        }
    }

    public static DeltaTarget path(String path) {
        return new DeltaTarget(path, null);
    }

    public static DeltaTarget table(String name) {
        return new DeltaTarget(null, name);
    }

    @Override
    public String toString() {
        return path != null ? path : table;
    }
}
