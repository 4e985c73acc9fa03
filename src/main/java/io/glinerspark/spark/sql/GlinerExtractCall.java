package io.glinerspark.spark.sql;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.spark.EntitySchema;
import io.glinerspark.spark.ScalaSeqs;
import io.glinerspark.types.LabelSet;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.Literal$;
import org.apache.spark.sql.catalyst.expressions.Unevaluable;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import scala.Function1;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.runtime.AbstractPartialFunction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL call {@code gliner_extract(text, labels [, threshold [, options]])} as it stands in a query plan. It is
 * never evaluated row by row: {@link GlinerCallBatchingRule} moves every call into a {@link GlinerBatch} operator that
 * extracts whole blocks of rows. Type checking happens here, so argument errors are analysis errors that name the
 * function and its signature.
 */
public final class GlinerExtractCall extends Expression implements Unevaluable, java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The SQL name. */
    public static final String NAME = "gliner_extract";
    /** The signature, as error messages and DESCRIBE FUNCTION show it. */
    public static final String SIGNATURE =
            NAME + "(text STRING, labels ARRAY<STRING> | MAP<STRING, STRING> [, threshold DOUBLE [, options "
                    + "MAP<STRING, STRING>]])";

    private final Seq<Expression> arguments;

    public GlinerExtractCall(Seq<Expression> arguments) {
        this.arguments = arguments;
    }

    /** What {@code SHOW FUNCTIONS} and {@code DESCRIBE FUNCTION [EXTENDED]} print. */
    static ExpressionInfo info() {
        String usage = "_FUNC_(text, labels [, threshold [, options]]) - Zero-shot named entities (GLiNER) of `text` "
                + "for the entity types named in `labels`, as array<struct<text:string,label:string,start:int,end:int,"
                + "score:float>> (offsets in Unicode code points, end exclusive). NULL text, NULL labels or an empty "
                + "label list give NULL, and so does a text longer than spark.gliner.sqlMaxTextChars code points "
                + "(default 1000000). Inside CASE WHEN, IF, COALESCE, AND or OR the call is evaluated only for "
                + "the rows that reach it (a guard such as CASE WHEN size(labels) > 0 THEN ... keeps other rows "
                + "out of the model). The model is the application's spark.gliner.model, set when it starts "
                + "(a folder, Hadoop URI, hf:// id, or the bundled 'default'); SET cannot change it.";
        String arguments = """

                    Arguments:
                      * text - STRING to search
                      * labels - ARRAY<STRING>: entity types in plain words, e.g. array('person', 'company');
                          a constant list or a column with each row's list; NULL or empty gives NULL. Or
                          MAP<STRING, STRING> of entity type to description, e.g. map('drug', 'a medication'):
                          the prompt carries the descriptions (each unique), the entities keep the types
                      * threshold - constant probability threshold in [0, 1); default spark.gliner.threshold or 0.5
                      * options - constant MAP<STRING, STRING> of decoding settings: flatNer, multiLabel,
                          labelThresholds ('person=0.6,company=0.4'), longText (chunk|truncate|fail),
                          windowOverlap, tokenScore (min|mean); defaults come from spark.gliner.<name>
                """;
        String examples = """

                    Examples:
                      > SELECT _FUNC_('Tim Cook leads Apple in Cupertino.', array('person', 'company', 'city'));
                       [{"text":"Tim Cook","label":"person","start":0,"end":8,"score":0.97}, ...]
                      > SELECT e.text, e.label FROM docs LATERAL VIEW explode(_FUNC_(body, array('drug'), 0.4)) t AS e;
                      > SELECT _FUNC_(body, array('person'), 0.5, map('flatNer', 'false'));
                      > SELECT _FUNC_(body, map('drug', 'a medication or pharmaceutical substance'));
                """;
        return new ExpressionInfo(GlinerExtractCall.class.getName(), null, NAME, usage, arguments, examples,
                "", "string_funcs", "0.1.0", "", "java_udf");
    }

    @Override
    public Seq<Expression> children() {
        return arguments;
    }

    @Override
    public Expression withNewChildrenInternal(IndexedSeq<Expression> newChildren) {
        return new GlinerExtractCall(newChildren);
    }

    @Override
    public DataType dataType() {
        return EntitySchema.ENTITIES;
    }

    @Override
    public boolean nullable() {
        return true;
    }

    @Override
    public String prettyName() {
        return NAME;
    }

    @Override
    public TypeCheckResult checkInputDataTypes() {
        String problem = argumentProblem();
        return problem == null ? TypeCheckResult.TypeCheckSuccess$.MODULE$
                : new TypeCheckResult.TypeCheckFailure(SIGNATURE + ": " + problem);
    }

    private String argumentProblem() {
        List<Expression> args = ScalaSeqs.list(arguments);
        if (args.size() < 2 || args.size() > 4) {
            return "expects 2 to 4 arguments, got " + args.size();
        }
        DataType text = args.get(0).dataType();
        if (!(text instanceof StringType || text instanceof NullType)) {
            return "text must be STRING, got " + text.sql();
        }
        DataType labels = args.get(1).dataType();
        if (!(labels instanceof ArrayType array && array.elementType() instanceof StringType)
                && !(labels instanceof MapType map && map.keyType() instanceof StringType
                && map.valueType() instanceof StringType)) {
            return "labels must be ARRAY<STRING> or MAP<STRING, STRING> (label to description), got " + labels.sql();
        }
        if (args.size() >= 3) {
            Expression threshold = args.get(2);
            if (!(threshold.dataType() instanceof NumericType) || !threshold.foldable()) {
                return "threshold must be a constant number, got " + threshold.sql();
            }
        }
        if (args.size() == 4) {
            Expression options = args.get(3);
            if (!(options.dataType() instanceof MapType map && map.keyType() instanceof StringType
                    && map.valueType() instanceof StringType) || !options.foldable()) {
                return "options must be a constant MAP<STRING, STRING>, got " + options.sql();
            }
        }
        try {
            decodingOverrides();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    /** The text argument. */
    Expression text() {
        return arguments.apply(0);
    }

    /**
     * The call's SQL for error messages, with every string constant of the text argument shown as {@code '?'}: a
     * message must not carry a document's text.
     */
    String sqlWithoutTexts() {
        Expression hidden = text().transform(new AbstractPartialFunction<Expression, Expression>() {
            @Override
            public boolean isDefinedAt(Expression expression) {
                return expression instanceof Literal literal && literal.dataType() instanceof StringType
                        && literal.value() != null;
            }

            @Override
            public <A1 extends Expression, B1> B1 applyOrElse(A1 expression, Function1<A1, B1> fallback) {
                @SuppressWarnings("unchecked")
                B1 result = isDefinedAt(expression) ? (B1) Literal$.MODULE$.apply("?") : fallback.apply(expression);
                return result;
            }
        });
        List<Expression> shown = new java.util.ArrayList<>(ScalaSeqs.list(arguments));
        shown.set(0, hidden);
        return new GlinerExtractCall(ScalaSeqs.of(shown)).sql();
    }

    /** The labels argument. */
    Expression labels() {
        return arguments.apply(1);
    }

    /**
     * A value of the labels argument as labels: an array of labels, or a map of label to description (a NULL
     * description counts as none); null for NULL or no labels, which give NULL entities.
     */
    static LabelSet labelSet(Object value) {
        if (value instanceof ArrayData array) {
            return array.numElements() == 0 ? null : LabelSet.of(strings(array));
        }
        if (value instanceof MapData map) {
            if (map.numElements() == 0) {
                return null;
            }
            List<String> labels = strings(map.keyArray());
            List<String> descriptions = strings(map.valueArray());
            Map<String, String> described = new LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                described.put(labels.get(i), descriptions.get(i));
            }
            return LabelSet.described(described);
        }
        return null;
    }

    private static List<String> strings(ArrayData array) {
        List<String> values = new java.util.ArrayList<>(array.numElements());
        for (int i = 0; i < array.numElements(); i++) {
            values.add(array.isNullAt(i) ? null : array.getUTF8String(i).toString());
        }
        return values;
    }

    /**
     * The decoding settings this call sets itself (threshold argument and options map), keyed by the registry's
     * names; they override the session's {@code spark.gliner.*} values.
     */
    Map<String, String> decodingOverrides() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (arguments.size() == 4) {
            MapData options = (MapData) arguments.apply(3).eval(null);
            if (options != null) {
                ArrayData keys = options.keyArray();
                ArrayData values = options.valueArray();
                for (int i = 0; i < options.numElements(); i++) {
                    String key = keys.getUTF8String(i).toString();
                    Setting<?> setting = Settings.byName(key);
                    if (setting == null || !setting.readBy(FrontEnd.SQL_OPTIONS)) {
                        throw new IllegalArgumentException("unknown option '" + key + "'"
                                + (setting != null && setting.group() == Group.MODEL
                                ? " (the model and its placement come from the application's "
                                + Spelling.CONF_KEY.of(key) + ")"
                                : setting != null && setting.group() == Group.LIMITS
                                ? " (the application's limits come from the application's "
                                + Spelling.CONF_KEY.of(key) + ")"
                                : setting == Settings.THRESHOLD ? " (the threshold is the third argument)"
                                : "; options are " + Settings.namesReadBy(FrontEnd.SQL_OPTIONS)));
                    }
                    settings.put(key, values.isNullAt(i) ? null : values.getUTF8String(i).toString());
                    if (settings.get(key) == null) {
                        throw new IllegalArgumentException("option '" + key + "' is NULL");
                    }
                }
            }
        }
        if (arguments.size() >= 3) {
            Object threshold = arguments.apply(2).eval(null);
            if (threshold == null) {
                throw new IllegalArgumentException("threshold is NULL");
            }
            double value = threshold instanceof Decimal d ? d.toDouble() : ((Number) threshold).doubleValue();
            settings.put(Settings.THRESHOLD.name(), Double.toString(value));
        }
        ExtractionOptions.from(SettingValues.of(settings, Spelling.CONF_KEY));
        return settings;
    }

    @Override
    public Object eval(InternalRow input) {
        throw new UnsupportedOperationException(NAME + " is evaluated in batches by the GlinerBatch operator, "
                + "not row by row; is io.glinerspark.spark.sql.GlinerSparkSessionExtensions in spark.sql.extensions?");
    }

    @Override
    public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
        throw new UnsupportedOperationException(NAME + " has no generated code: it is evaluated by GlinerBatch");
    }

    @Override
    public int productArity() {
        return 1;
    }

    @Override
    public Object productElement(int n) {
        if (n != 0) {
            throw new IndexOutOfBoundsException(n);
        }
        return arguments;
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof GlinerExtractCall;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlinerExtractCall call && arguments.equals(call.arguments);
    }

    @Override
    public int hashCode() {
        return arguments.hashCode();
    }
}
