package io.glinerspark.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive hold on one cache entry across threads and JVMs of one machine. An OS file lock alone does not serve:
 * it belongs to the whole JVM, and a second thread asking for it gets an exception instead of waiting. So threads
 * first queue on a JVM-wide lock per lock file, and the holder then takes the file lock. The OS releases a file lock
 * when its JVM dies, so a crashed writer never blocks the cache.
 */
final class CacheLock {

    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    /** Work done while holding a lock. */
    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    private CacheLock() {
    }

    /**
     * Runs {@code action} while this thread holds {@code lockFile} (created if missing), blocking until then. Not
     * reentrant: never call it again from inside {@code action} for the same file.
     */
    static void holding(Path lockFile, Action action) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        jvmLock.lock();
        try {
            Files.createDirectories(key.getParent());
            try (FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock fileLock = channel.lock();
                try {
                    action.run();
                } finally {
                    fileLock.release();
                }
            }
        } finally {
            jvmLock.unlock();
        }
    }
}
