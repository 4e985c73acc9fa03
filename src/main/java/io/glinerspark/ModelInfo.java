package io.glinerspark;

import java.io.Serializable;

/**
 * What a loaded model is, for logs, lineage columns and reports.
 *
 * @param source        the source it was loaded from, as given
 * @param revision      the Hugging Face commit the bundle was downloaded at, else the bundle's own
 *                      {@code model_version}, else null
 * @param name          a readable name from the bundle itself: its {@code model_version}, else {@code gliner-}
 *                      and the backbone's name, else {@code gliner}
 * @param fingerprint   SHA-256 over the bundle's files (see {@link io.glinerspark.source.BundleFingerprint}): equal
 *                      for every copy of the same files, wherever they were loaded from
 * @param onnxFile      the path inside the bundle of the graph the session loaded (for the device it runs on)
 * @param spanMode      {@code span_mode} of the config ({@code token_level} for token-level models)
 * @param maxLen        words per window
 * @param maxWidth      span widths 1..maxWidth
 * @param positionLimit sub-tokens per window, specials and label prompt included
 * @param fixture       true for synthetic test models, whose predictions mean nothing
 * @param device        the device the model runs on ({@code cpu}, {@code cuda:N})
 * @param deviceFallback why the requested device was not used, or null
 */
public record ModelInfo(String source, String revision, String name, String fingerprint, String onnxFile,
                        String spanMode, int maxLen, int maxWidth, int positionLimit, boolean fixture, String device,
                        String deviceFallback) implements Serializable {

    /** Hex digits of the fingerprint in {@link #id()}: 64 bits, no collision among any realistic set of models. */
    public static final int ID_HASH_DIGITS = 16;

    /**
     * The model's content-derived id: {@link #name()}, a dash and the first {@value #ID_HASH_DIGITS} hex digits of
     * the fingerprint, e.g. {@code gliner-spark-minilm-l6-v1-0f3c9a5e12d4b7a8}. The same files give the same id
     * whether they come from the hub, a Hadoop URI or a local folder; other files give another id.
     */
    public String id() {
        return name + "-" + fingerprint.substring(0, ID_HASH_DIGITS);
    }
}
