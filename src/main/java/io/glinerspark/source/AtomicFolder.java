package io.glinerspark.source;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A cache folder that appears complete or not at all: it is filled under a temporary name and renamed into place
 * while holding its {@link CacheLock}. A reader that sees the folder may use it without locking.
 */
final class AtomicFolder {

    /** Writes a folder's content. */
    @FunctionalInterface
    interface Filler {
        void fill(Path folder) throws IOException;
    }

    private AtomicFolder() {
    }

    /** Returns {@code target}, filling it first with {@code filler} unless it already exists. */
    static Path publish(Path target, Filler filler) throws IOException {
        if (Files.isDirectory(target)) {
            return target;
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        CacheLock.holding(parent.resolve(".locks").resolve(target.getFileName() + ".lock"), () -> {
            if (Files.isDirectory(target)) {
                return;
            }
            // Holding the lock means no live writer uses this name: whatever is there was left by a crash.
            Path partial = parent.resolve("." + target.getFileName() + ".partial");
            deleteRecursively(partial);
            Files.createDirectories(partial);
            try {
                filler.fill(partial);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                deleteRecursively(partial);
                throw e;
            }
        });
        return target;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
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
