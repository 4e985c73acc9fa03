package io.glinerspark.cluster;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.Function1;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Faults injected into a driver from outside the production code, as a session extension (add it to
 * {@code spark.sql.extensions}) whose analysis check sees every query the driver plans, on the thread that plans
 * it. Driven by system properties of the driver JVM; without them it does nothing.
 *
 * <ul>
 *   <li>{@value #HALT_AFTER_COMMIT_TO} = a Delta table folder: the first query planned after that table has gained
 *       a commit (counted from the session's start) halts the JVM at once, exit status {@value #HALT_STATUS}, no
 *       shutdown hooks: a crash right after that commit, before the driver writes anything else.</li>
 *   <li>{@value #BARRIER_DIR}, {@value #BARRIER_PARTIES}, {@value #BARRIER_TABLE}: the first command that names
 *       the table (a write, a MERGE, a CREATE) waits until that many drivers have reached the same point, so that
 *       concurrent jobs write the table at the same moment instead of one after the other.</li>
 * </ul>
 */
public final class FaultInjection extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

    static final String HALT_AFTER_COMMIT_TO = "gliner.faults.haltAfterCommitTo";
    static final String BARRIER_DIR = "gliner.faults.barrierDir";
    static final String BARRIER_PARTIES = "gliner.faults.barrierParties";
    static final String BARRIER_TABLE = "gliner.faults.barrierTable";
    static final int HALT_STATUS = 86;

    private static final Duration BARRIER_LIMIT = Duration.ofMinutes(2);
    private static final AtomicBoolean BARRIER_PASSED = new AtomicBoolean();
    private static volatile Long commitsAtStart;

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        String haltTable = System.getProperty(HALT_AFTER_COMMIT_TO);
        if (haltTable != null) {
            synchronized (FaultInjection.class) {
                if (commitsAtStart == null) {
                    commitsAtStart = commits(Path.of(haltTable));
                }
            }
        }
        extensions.injectCheckRule(new AbstractFunction1<SparkSession, Function1<LogicalPlan, BoxedUnit>>() {
            @Override
            public Function1<LogicalPlan, BoxedUnit> apply(SparkSession session) {
                return new AbstractFunction1<>() {
                    @Override
                    public BoxedUnit apply(LogicalPlan plan) {
                        check(plan);
                        return BoxedUnit.UNIT;
                    }
                };
            }
        });
        return BoxedUnit.UNIT;
    }

    private static void check(LogicalPlan plan) {
        String haltTable = System.getProperty(HALT_AFTER_COMMIT_TO);
        if (haltTable != null && commits(Path.of(haltTable)) > commitsAtStart) {
            System.err.println("FAULT: halting the driver after a commit to " + haltTable);
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
        String barrierTable = System.getProperty(BARRIER_TABLE);
        if (barrierTable != null && plan instanceof Command && !BARRIER_PASSED.get()
                && plan.toString().contains(barrierTable) && BARRIER_PASSED.compareAndSet(false, true)) {
            awaitParties(Path.of(System.getProperty(BARRIER_DIR)), Integer.parseInt(System.getProperty(BARRIER_PARTIES)));
        }
    }

    private static void awaitParties(Path dir, int parties) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(String.valueOf(ProcessHandle.current().pid())), "");
            long deadline = System.nanoTime() + BARRIER_LIMIT.toNanos();
            while (count(dir) < parties) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("barrier " + dir + ": " + count(dir) + " of " + parties
                            + " drivers arrived in " + BARRIER_LIMIT);
                }
                Thread.sleep(20);
            }
            System.err.println("FAULT: " + parties + " drivers passed the barrier " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at barrier " + dir, e);
        }
    }

    /** Commits in a Delta table's log (0 when the table does not exist yet). */
    static long commits(Path table) {
        Path log = table.resolve("_delta_log");
        if (!Files.isDirectory(log)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(log)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
