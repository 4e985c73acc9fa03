package io.glinerspark;

import java.io.Serializable;

/**
 * What a loaded model is, for logs, lineage columns and reports.
 *
 * @param source        the source it was loaded from, as given
 * @param revision      the Hugging Face commit the bundle was downloaded at, or null for other sources
 * @param onnxFile      the ONNX file's path inside the bundle
 * @param spanMode      {@code span_mode} of the config ({@code token_level} for token-level models)
 * @param maxLen        words per window
 * @param maxWidth      span widths 1..maxWidth
 * @param positionLimit sub-tokens per window, specials and label prompt included
 * @param fixture       true for synthetic test models, whose predictions mean nothing
 * @param device        the device the model runs on ({@code cpu}, {@code cuda:N})
 * @param deviceFallback why the requested device was not used, or null
 */
public record ModelInfo(String source, String revision, String onnxFile, String spanMode, int maxLen, int maxWidth,
                        int positionLimit, boolean fixture, String device, String deviceFallback)
        implements Serializable {
}
