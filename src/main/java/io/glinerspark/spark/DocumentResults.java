package io.glinerspark.spark;

import io.glinerspark.ExtractionOptions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;

/**
 * Extraction results at document level, the input of {@link EntityTableWriter}: one row per document and text
 * column, with the provenance that makes results comparable across runs (model, labels fingerprint, run).
 */
public final class DocumentResults {

    /** Columns of a results frame. */
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("doc_id", DataTypes.StringType, false),
            DataTypes.createStructField("source_column", DataTypes.StringType, false),
            DataTypes.createStructField("text_hash", DataTypes.StringType, true),
            DataTypes.createStructField("model_id", DataTypes.StringType, false),
            DataTypes.createStructField("model_revision", DataTypes.StringType, true),
            DataTypes.createStructField("labels_fingerprint", DataTypes.StringType, true),
            DataTypes.createStructField("run_id", DataTypes.StringType, true),
            DataTypes.createStructField("extracted_at", DataTypes.TimestampType, true),
            DataTypes.createStructField("entities", EntitySchema.ENTITIES, true),
            DataTypes.createStructField("error", DataTypes.StringType, true)});

    /**
     * Where results come from.
     *
     * @param modelId           the model's identity (its source, or the id the bundle declares)
     * @param modelRevision     the model's revision or content fingerprint, when known
     * @param labelsFingerprint {@link #fingerprint} of the labels and decoding options
     * @param runId             the run that produced the results
     * @param extractedAt       when the run started
     */
    public record Provenance(String modelId, String modelRevision, String labelsFingerprint, String runId,
                             Instant extractedAt) {
    }

    private DocumentResults() {
    }

    /**
     * Results of a {@link GlinerTransformer} output: one row per non-NULL text.
     *
     * @param idColumn      column holding the document id (cast to string)
     * @param errorColumn   the transformer's error column, or null
     */
    public static Dataset<Row> from(Dataset<Row> extracted, String idColumn, List<String> textColumns,
                                    List<String> entityColumns, String errorColumn, Provenance provenance) {
        Dataset<Row> results = null;
        for (int i = 0; i < textColumns.size(); i++) {
            String text = textColumns.get(i);
            Dataset<Row> one = extracted.filter(col(text).isNotNull()).select(
                    col(idColumn).cast(DataTypes.StringType).as("doc_id"),
                    lit(text).as("source_column"),
                    textHash(col(text)).as("text_hash"),
                    lit(provenance.modelId()).as("model_id"),
                    lit(provenance.modelRevision()).cast(DataTypes.StringType).as("model_revision"),
                    lit(provenance.labelsFingerprint()).cast(DataTypes.StringType).as("labels_fingerprint"),
                    lit(provenance.runId()).as("run_id"),
                    lit(Timestamp.from(provenance.extractedAt())).as("extracted_at"),
                    col(entityColumns.get(i)).as("entities"),
                    (errorColumn == null ? lit(null).cast(DataTypes.StringType) : col(errorColumn)).as("error"));
            results = results == null ? one : results.unionByName(one);
        }
        if (results == null) {
            throw new IllegalArgumentException("no text columns");
        }
        return results;
    }

    /** The hash that tells a changed text from an unchanged one: hex SHA-256 of its UTF-8 bytes. */
    public static Column textHash(Column text) {
        return sha2(text, 256);
    }

    /**
     * Fingerprint of everything besides the model that decides a text's entities: the ordered labels and the
     * decoding options. 16 hex digits of a SHA-256.
     */
    public static String fingerprint(List<String> labels, ExtractionOptions options) {
        Map<String, Float> perLabel = new TreeMap<>(options.labelThresholds());
        // Labels may contain any character but NUL, which separates them here.
        String canonical = "labels=" + String.join("\u0000", labels) + "\nthreshold=" + options.threshold() + "\nlabelThresholds=" + perLabel
                + "\nflatNer=" + options.flatNer() + "\nmultiLabel=" + options.multiLabel() + "\ntokenScore="
                + options.tokenScore() + "\nlongText=" + options.longText() + "\nwindowOverlap=" + options.windowOverlap();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
