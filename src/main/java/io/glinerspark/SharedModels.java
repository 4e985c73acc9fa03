package io.glinerspark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Models shared by every user in a JVM, one per {@link ModelOptions}, handed out as holds ({@link #acquire}): each
 * hold is a {@link GlinerModel} whose {@code close()} gives it back. The {@code capacity} most recently acquired
 * models stay loaded while nobody holds them, so the next user finds them ready; an older model is closed (its
 * tokenizer, and its ONNX Runtime session unless another loaded model shares it) and dropped as soon as nobody
 * holds it. A held model is never closed: a long-lived process that moves on to new models closes the old ones once
 * their last holds are given back, and one that keeps its holds keeps its models.
 */
final class SharedModels {

    private final int capacity;
    private final Function<ModelOptions, GlinerModel> loader;
    /** In access order: the least recently acquired first. */
    private final Map<ModelOptions, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param capacity models kept loaded while nobody holds them
     * @param loader   loads the model of some options; the cache closes it when it drops it
     */
    SharedModels(int capacity, Function<ModelOptions, GlinerModel> loader) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.loader = loader;
    }

    /**
     * A hold on the model of {@code options}, loaded on first use; close the hold when done with it.
     *
     * @throws RuntimeException what loading the model threw; the next call tries again
     */
    GlinerModel acquire(ModelOptions options) {
        Entry entry;
        synchronized (this) {
            entry = entries.computeIfAbsent(options, o -> new Entry());
            entry.holds++;
        }
        GlinerModel model;
        try {
            model = entry.load(loader, options);
        } catch (RuntimeException | Error e) {
            release(options, entry);
            throw e;
        }
        List<GlinerModel> dropped;
        synchronized (this) {
            dropped = evictIdle();
        }
        closeAll(dropped);
        return model.hold(() -> release(options, entry));
    }

    /** The options of the models loaded now (held or kept), the least recently acquired first. */
    synchronized List<ModelOptions> loaded() {
        List<ModelOptions> loaded = new ArrayList<>();
        entries.forEach((options, entry) -> {
            if (entry.model != null) {
                loaded.add(options);
            }
        });
        return loaded;
    }

    private void release(ModelOptions options, Entry entry) {
        List<GlinerModel> dropped;
        synchronized (this) {
            entry.holds--;
            if (entry.holds == 0 && entry.model == null && entries.get(options) == entry) {
                // Its loading failed: nothing to keep.
                entries.remove(options);
            }
            dropped = evictIdle();
        }
        closeAll(dropped);
    }

    /**
     * Drops the models nobody holds that are not among the {@code capacity} most recently acquired. A held one stays
     * (its holder uses it) and is dropped when its last hold is given back, if it is still among the older ones.
     */
    private List<GlinerModel> evictIdle() {
        List<GlinerModel> dropped = new ArrayList<>();
        int older = entries.size() - capacity;
        for (Iterator<Entry> it = entries.values().iterator(); older > 0 && it.hasNext(); older--) {
            Entry entry = it.next();
            if (entry.holds == 0) {
                it.remove();
                if (entry.model != null) {
                    dropped.add(entry.model);
                }
            }
        }
        return dropped;
    }

    /** Outside the cache's lock: closing a session may take a while, and nobody can reach these models anymore. */
    private static void closeAll(List<GlinerModel> models) {
        for (GlinerModel model : models) {
            model.close();
        }
    }

    private static final class Entry {
        private int holds;
        private volatile GlinerModel model;

        /** Loads once per entry; a user of another entry is not kept waiting meanwhile. */
        synchronized GlinerModel load(Function<ModelOptions, GlinerModel> loader, ModelOptions options) {
            if (model == null) {
                model = loader.apply(options);
            }
            return model;
        }
    }
}
