package io.glinerspark.source;

/**
 * A model source could not be turned into a local bundle folder: the folder, repository, revision or file does not
 * exist, access was refused, a download broke off or did not match its checksum, or the cache is unusable. The message
 * names the source and, where one applies, the file and what to do next.
 */
public final class ModelSourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelSourceException(String message) {
        super(message);
    }

    public ModelSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
