package io.glinerspark.spark.delta;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.spark.EntitySchema;
import io.glinerspark.spark.ml.GlinerTransformer;
import io.glinerspark.types.LabelSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static io.glinerspark.spark.delta.EntityTables.DOC_ID;
import static io.glinerspark.spark.delta.EntityTables.ENTITIES;
import static io.glinerspark.spark.delta.EntityTables.ERROR;
import static io.glinerspark.spark.delta.EntityTables.EXTRACTED_AT;
import static io.glinerspark.spark.delta.EntityTables.LABELS_FINGERPRINT;
import static io.glinerspark.spark.delta.EntityTables.MODEL_ID;
import static io.glinerspark.spark.delta.EntityTables.MODEL_REVISION;
import static io.glinerspark.spark.delta.EntityTables.RUN_ID;
import static io.glinerspark.spark.delta.EntityTables.SOURCE_COLUMN;
import static io.glinerspark.spark.delta.EntityTables.TEXT_HASH;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/**
 * Extraction results at document level, the input of {@link EntityTableWriter}: one row per document and text
 * column, with the provenance that makes results comparable across runs (model, labels fingerprint, run). A row
 * either has entities (possibly none) and no error, or NULL entities and the error that belongs to that document.
 */
public final class DocumentResults {

    /** Columns of a results frame ({@link EntityTables#RESULTS}). */
    public static final StructType SCHEMA = EntityTables.RESULTS;

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

    private static final String RESULT = "_gliner_result";

    private DocumentResults() {
    }

    /**
     * Results of a {@link GlinerTransformer} output: one row per input row and text column.
     *
     * <p>A NULL text is a document without text: empty entities, and the hash of the empty text. A text whose
     * entities are NULL while the row has an error failed: NULL entities and the row's error (for a row with several
     * text columns, only the columns that failed carry it).
     *
     * @param idColumn    column holding the document id (cast to string); it must not be NULL
     * @param errorColumn the transformer's error column, or null
     */
    public static Dataset<Row> from(Dataset<Row> extracted, String idColumn, List<String> textColumns,
                                    List<String> entityColumns, String errorColumn, Provenance provenance) {
        if (textColumns.isEmpty() || textColumns.size() != entityColumns.size()) {
            throw new IllegalArgumentException("one entities column per text column is needed, got text columns "
                    + textColumns + " and entities columns " + entityColumns);
        }
        Column rowError = errorColumn == null ? lit(null).cast(DataTypes.StringType) : col(errorColumn);
        Column emptyEntities = array().cast(EntitySchema.ENTITIES);
        // One pass over the extracted rows: a union per text column would run the extraction once per column.
        Column[] perColumn = new Column[textColumns.size()];
        for (int i = 0; i < textColumns.size(); i++) {
            Column text = col(textColumns.get(i));
            Column entities = col(entityColumns.get(i));
            Column failed = entities.isNull().and(rowError.isNotNull());
            perColumn[i] = struct(lit(textColumns.get(i)).as(SOURCE_COLUMN),
                    textHash(coalesce(text, lit(""))).as(TEXT_HASH),
                    when(failed, lit(null).cast(EntitySchema.ENTITIES)).otherwise(coalesce(entities, emptyEntities))
                            .as(ENTITIES),
                    when(failed, rowError).as(ERROR));
        }
        return extracted.select(col(idColumn).cast(DataTypes.StringType).as(DOC_ID),
                        explode(array(perColumn)).as(RESULT))
                .select(col(DOC_ID),
                        col(RESULT + "." + SOURCE_COLUMN).as(SOURCE_COLUMN),
                        col(RESULT + "." + TEXT_HASH).as(TEXT_HASH),
                        lit(provenance.modelId()).as(MODEL_ID),
                        lit(provenance.modelRevision()).cast(DataTypes.StringType).as(MODEL_REVISION),
                        lit(provenance.labelsFingerprint()).cast(DataTypes.StringType).as(LABELS_FINGERPRINT),
                        lit(provenance.runId()).as(RUN_ID),
                        lit(Timestamp.from(provenance.extractedAt())).as(EXTRACTED_AT),
                        col(RESULT + "." + ENTITIES).as(ENTITIES),
                        col(RESULT + "." + ERROR).as(ERROR));
    }

    /** The hash that tells a changed text from an unchanged one: hex SHA-256 of its UTF-8 bytes. */
    public static Column textHash(Column text) {
        return sha2(text, 256);
    }

    /**
     * Fingerprint of everything besides the model that decides a text's entities: the ordered labels, their
     * descriptions and every decoding option ({@link ExtractionOptions#canonical()}). 16 hex digits of a SHA-256.
     * Labels without descriptions give the fingerprint of the plain list, so results stored before descriptions
     * existed keep theirs.
     */
    public static String fingerprint(LabelSet labels, ExtractionOptions options) {
        // Labels and descriptions may contain any character but NUL, which separates them here.
        StringBuilder canonical = new StringBuilder("labels=").append(String.join("\u0000", labels.labels()));
        if (!labels.descriptions().isEmpty()) {
            canonical.append("\ndescriptions=");
            labels.descriptions().forEach((label, description) ->
                    canonical.append(label).append('\u0000').append(description).append('\u0000'));
        }
        canonical.append('\n').append(options.canonical());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
