package io.glinerspark.spark.delta;

import io.delta.exceptions.DeltaConcurrentModificationException;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
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

    /**
     * Error classes of creating a table that another writer created first, or is creating now (its folder has files
     * but no commit yet): a path written to, a catalog table, or the folder of either.
     */
    private static final List<String> CREATED_BY_ANOTHER = List.of("DELTA_PATH_EXISTS", "TABLE_OR_VIEW_ALREADY_EXISTS",
            "LOCATION_ALREADY_EXISTS", "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION");

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

    /** A commit that failed only because another writer committed first, including creating the table. */
    static boolean lostRace(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeltaConcurrentModificationException || cause instanceof TableAlreadyExistsException) {
                return true;
            }
        }
        return CREATED_BY_ANOTHER.stream().anyMatch(errorClass -> hasErrorClass(error, errorClass));
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
}
