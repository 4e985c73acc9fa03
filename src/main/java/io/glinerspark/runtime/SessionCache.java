package io.glinerspark.runtime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The JVM-wide sessions, one per {@link SessionSpec}. Sessions are reference-counted: every model that acquires
 * one releases it on close, and the last release closes the session.
 */
public final class SessionCache {

    private static final Map<SessionSpec, Entry> SESSIONS = new HashMap<>();

    private SessionCache() {
    }

    /** The session for {@code spec}, opened on first use; pair every call with {@link #release}. */
    public static synchronized InferenceSession acquire(SessionSpec spec) {
        Entry entry = SESSIONS.get(spec);
        if (entry == null) {
            entry = new Entry(InferenceSession.open(spec));
            SESSIONS.put(spec, entry);
        }
        entry.users++;
        return entry.session;
    }

    /** Gives back a session obtained from {@link #acquire}. */
    public static synchronized void release(InferenceSession session) {
        Entry entry = SESSIONS.get(session.spec());
        if (entry == null || entry.session != session) {
            throw new IllegalStateException("session of " + session.modelFile() + " is not held by the cache");
        }
        if (--entry.users == 0) {
            SESSIONS.remove(session.spec());
            session.close();
        }
    }

    /** The graphs the sessions open now loaded. */
    public static synchronized Set<Path> openModelFiles() {
        Set<Path> files = new HashSet<>();
        for (Entry entry : SESSIONS.values()) {
            files.add(entry.session.modelFile());
        }
        return files;
    }

    private static final class Entry {
        private final InferenceSession session;
        private int users;

        Entry(InferenceSession session) {
            this.session = session;
        }
    }
}
