package io.glinerspark.spark.delta;

import io.delta.exceptions.DeltaConcurrentModificationException;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a Delta commit, again after a pause (exponential, with jitter, so that competing writers spread out) while
 * it loses to a concurrent commit. Only for commits that are idempotent: a retried one must not add anything twice.
 */
final class CommitRetry {

    private static final Logger LOG = LoggerFactory.getLogger(CommitRetry.class);

    /** Attempts of one commit that keeps losing races with concurrent writers before the write fails. */
    static final int ATTEMPTS = 8;
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 10_000;

    /** Delta's error class for creating a path table whose folder has files but no commit yet. */
    private static final String NON_EMPTY_LOCATION = "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION";
    /** Delta's error class for a path that holds no committed table. */
    static final String TABLE_NOT_FOUND = "DELTA_TABLE_NOT_FOUND";

    private CommitRetry() {
    }

    /**
     * Runs {@code commit} until it does not lose a race, at most {@link #ATTEMPTS} times.
     *
     * @param what names the commit in messages
     * @throws IllegalStateException when it lost every time, or was interrupted while waiting
     */
    static void run(String what, Runnable commit) {
        for (int attempt = 1; ; attempt++) {
            try {
                commit.run();
                return;
            } catch (Exception e) { // Delta's conflicts include checked exceptions that Scala code throws undeclared
                if (!lostRace(e)) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException(what + " lost to concurrent writers " + ATTEMPTS
                            + " times; nothing of this attempt was committed: " + e.getMessage(), e);
                }
                long ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << (attempt - 1));
                long pause = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
                LOG.warn("{}: concurrent update ({}), attempt {} of {} in {} ms", what, e.getClass().getSimpleName(),
                        attempt + 1, ATTEMPTS, pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(what + " interrupted while waiting to retry", e);
                }
            }
        }
    }

    /**
     * A commit that failed only because another writer committed first, including creating the table: a path table
     * that another writer is creating at this moment has files but no commit yet, which Delta reports as a
     * non-empty location, or, once it has opened the folder, as a table not found.
     */
    static boolean lostRace(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeltaConcurrentModificationException || cause instanceof TableAlreadyExistsException
                    || cause instanceof TableBeingCreatedException) {
                return true;
            }
        }
        return hasErrorClass(error, NON_EMPTY_LOCATION);
    }

    /** Whether {@code error} or one of its causes carries Delta's {@code errorClass}. */
    // Some Delta lines leave the error class unset on their exceptions and only name it in the message.
    @SuppressWarnings("deprecation") // getErrorClass is the accessor that every supported Spark line has
    static boolean hasErrorClass(Throwable error, String errorClass) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SparkThrowable sparkError && (errorClass.equals(sparkError.getErrorClass())
                    || String.valueOf(cause.getMessage()).startsWith("[" + errorClass + "]"))) {
                return true;
            }
        }
        return false;
    }

    /** Another writer is creating the table this writer wanted to create or open: a lost race. */
    static final class TableBeingCreatedException extends RuntimeException {
        TableBeingCreatedException(DeltaTarget target, Throwable cause) {
            super(target + " is being created by another writer", cause);
        }
    }
}
