package io.glinerspark.spark.delta;

import io.glinerspark.spark.EntitySchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * The columns and schemas of extraction results ({@link #RESULTS}, what {@link DocumentResults} makes) and of the
 * two Delta tables they are written to ({@link #ENTITY_TABLE}, {@link #DOCUMENT_TABLE}). Code that names a column
 * of these uses the constants here, so that a column is named in one place.
 */
public final class EntityTables {

    /** The document's id. */
    public static final String DOC_ID = "doc_id";
    /** The text column of the input the result is for. */
    public static final String SOURCE_COLUMN = "source_column";
    /** {@link DocumentResults#textHash} of the text. */
    public static final String TEXT_HASH = "text_hash";
    public static final String MODEL_ID = "model_id";
    public static final String MODEL_REVISION = "model_revision";
    /** {@link DocumentResults#fingerprint} of the labels and decoding options. */
    public static final String LABELS_FINGERPRINT = "labels_fingerprint";
    public static final String RUN_ID = "run_id";
    public static final String EXTRACTED_AT = "extracted_at";
    /** The entities of a result, NULL when it failed. */
    public static final String ENTITIES = "entities";
    /** Why a result failed, NULL when it did not. */
    public static final String ERROR = "error";
    /** Entity table: the entity's text ({@code text} in {@link EntitySchema#ENTITY}). */
    public static final String ENTITY_TEXT = "entity_text";
    public static final String LABEL = "label";
    public static final String START = "start";
    public static final String END = "end";
    public static final String SCORE = "score";
    /** Documents table: the number of entities of the last good result. */
    public static final String ENTITY_COUNT = "entity_count";
    /** Documents table: the run whose attempt failed, when the last attempt failed. */
    public static final String ERROR_RUN_ID = "error_run_id";

    /** Key of a document's results: re-runs of the same document, text column and model replace each other. */
    public static final List<String> KEY = List.of(DOC_ID, SOURCE_COLUMN, MODEL_ID);

    /** Columns of a results frame: one row per document and text column. */
    public static final StructType RESULTS = new StructType(new StructField[]{
            DataTypes.createStructField(DOC_ID, DataTypes.StringType, false),
            DataTypes.createStructField(SOURCE_COLUMN, DataTypes.StringType, false),
            DataTypes.createStructField(TEXT_HASH, DataTypes.StringType, true),
            DataTypes.createStructField(MODEL_ID, DataTypes.StringType, false),
            DataTypes.createStructField(MODEL_REVISION, DataTypes.StringType, true),
            DataTypes.createStructField(LABELS_FINGERPRINT, DataTypes.StringType, true),
            DataTypes.createStructField(RUN_ID, DataTypes.StringType, true),
            DataTypes.createStructField(EXTRACTED_AT, DataTypes.TimestampType, true),
            DataTypes.createStructField(ENTITIES, EntitySchema.ENTITIES, true),
            DataTypes.createStructField(ERROR, DataTypes.StringType, true)});

    /** The entities table: one row per entity. */
    public static final StructType ENTITY_TABLE = new StructType(new StructField[]{
            DataTypes.createStructField(DOC_ID, DataTypes.StringType, false),
            DataTypes.createStructField(SOURCE_COLUMN, DataTypes.StringType, false),
            DataTypes.createStructField(ENTITY_TEXT, DataTypes.StringType, true),
            DataTypes.createStructField(LABEL, DataTypes.StringType, true),
            DataTypes.createStructField(START, DataTypes.IntegerType, true),
            DataTypes.createStructField(END, DataTypes.IntegerType, true),
            DataTypes.createStructField(SCORE, DataTypes.FloatType, true),
            DataTypes.createStructField(MODEL_ID, DataTypes.StringType, false),
            DataTypes.createStructField(MODEL_REVISION, DataTypes.StringType, true),
            DataTypes.createStructField(LABELS_FINGERPRINT, DataTypes.StringType, true),
            DataTypes.createStructField(RUN_ID, DataTypes.StringType, true),
            DataTypes.createStructField(EXTRACTED_AT, DataTypes.TimestampType, true)});

    /**
     * The documents table: one row per document and text column, the last good result ({@code text_hash} to
     * {@code entity_count}, NULL when the document never had one) and, when a later attempt failed, its
     * {@code error} and {@code error_run_id}.
     */
    public static final StructType DOCUMENT_TABLE = RESULTS
            .add(ENTITY_COUNT, DataTypes.IntegerType, true)
            .add(ERROR_RUN_ID, DataTypes.StringType, true);

    private EntityTables() {
    }

    /** The columns of {@code schema}, quoted, in order. */
    static Column[] columns(StructType schema) {
        return columns(Arrays.asList(schema.fieldNames()));
    }

    /** The named columns, quoted, in order. */
    static Column[] columns(List<String> names) {
        return names.stream().map(n -> col("`" + n + "`")).toArray(Column[]::new);
    }
}
