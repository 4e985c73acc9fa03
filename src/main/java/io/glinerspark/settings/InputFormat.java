package io.glinerspark.settings;

/** How the extraction job reads its input (the {@code inputFormat} setting). */
public enum InputFormat {
    /** Chosen from the location: a table name, a Delta folder, or the files' extension. */
    AUTO(null),
    JSONL("json"),
    JSON("json"),
    PARQUET("parquet"),
    CSV("csv"),
    TEXT("text"),
    DELTA(null),
    TABLE(null);

    private final String fileSource;

    InputFormat(String fileSource) {
        this.fileSource = fileSource;
    }

    /** The Spark data source that reads files of this format, or null for a table, Delta, or {@link #AUTO}. */
    public String fileSource() {
        return fileSource;
    }
}
