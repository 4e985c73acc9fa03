package io.glinerspark.types;

/** Policy for texts with more words (or sub-tokens) than one model window holds. */
public enum LongTextPolicy {
    /** Overlapping windows, merged and re-decoded over the whole document. */
    CHUNK,
    /**
     * Keep the first window only (the reference behaviour); reported in the statistics. Words too large for any
     * window are left out of it, as in CHUNK, and the words after them up to the window's size are still read.
     */
    TRUNCATE,
    /** Fail the text with an error. */
    FAIL
}
