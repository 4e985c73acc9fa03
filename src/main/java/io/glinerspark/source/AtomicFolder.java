package io.glinerspark.source;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * A cache folder that appears complete or not at all: it is filled under a fresh temporary name and renamed into place
 * while holding its {@link CacheLock}. A reader that sees the folder checks it ({@link Check}) before use: a folder
 * that lost files or whose bytes changed since it was written is deleted and filled again.
 */
final class AtomicFolder {

    /** Writes a folder's content. */
    @FunctionalInterface
    interface Filler {
        void fill(Path folder) throws IOException;
    }

    /** Proves that a published folder still holds what was written into it. */
    interface Check {
        /** Called on the filled folder before it is published; may record what {@link #holds} compares against. */
        void record(Path filled, Path target) throws IOException;

        /** Whether {@code target} holds what was published; any doubt (a missing or unreadable file) is false. */
        boolean holds(Path target) throws IOException;
    }

    private AtomicFolder() {
    }

    /**
     * Returns {@code target}, filling it first with {@code filler} unless it already exists and passes {@code check}.
     */
    static Path publish(Path target, Filler filler, Check check) throws IOException {
        if (Files.isDirectory(target) && holds(check, target)) {
            return target;
        }
        Path parent = target.getParent();
        CacheFolders.createPrivateDirectories(parent);
        String name = target.getFileName().toString();
        CacheLock.holding(parent.resolve(".locks").resolve(name + ".lock"), () -> {
            if (Files.isDirectory(target)) {
                if (holds(check, target)) {
                    return;
                }
                deleteRecursively(target);
            }
            // Holding the lock means no live writer fills this entry: partial folders are left by crashes.
            try (Stream<Path> siblings = Files.list(parent)) {
                for (Path stale : siblings.filter(p -> p.getFileName().toString().startsWith("." + name + ".partial")).toList()) {
                    deleteRecursively(stale);
                }
            }
            Path partial = Files.createTempDirectory(parent, "." + name + ".partial-");
            try {
                filler.fill(partial);
                check.record(partial, target);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                deleteRecursively(partial);
                throw e;
            }
        });
        return target;
    }

    private static boolean holds(Check check, Path target) {
        try {
            return check.holds(target);
        } catch (IOException | ModelSourceException e) {
            return false;
        }
    }

    static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
