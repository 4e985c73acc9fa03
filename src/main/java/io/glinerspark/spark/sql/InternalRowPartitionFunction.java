package io.glinerspark.spark.sql;

import io.glinerspark.spark.EntitySchema;
import io.glinerspark.spark.task.PartitionExtraction;
import io.glinerspark.spark.task.RowBlockExtractor;
import io.glinerspark.types.Entity;
import io.glinerspark.types.LabelSet;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.Seq;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The partition function of {@link GlinerBatchExec}: the child's rows in, each followed by one entities value per
 * call, block by block and in input order. A NULL text, a text longer than {@code spark.gliner.sqlMaxTextChars}
 * code points, or a NULL or empty label list (or label to description map) gives NULL. A row that cannot
 * be extracted (a per-row label list the model rejects, a text too long under the {@code fail} policy) fails the
 * query with a message naming the partition, the row's index in it and the call; never the text, which may be
 * private.
 */
final class InternalRowPartitionFunction implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(InternalRowPartitionFunction.class);

    private final GlinerBatchSettings settings;
    private final Seq<Expression> arguments;
    private final Seq<Attribute> childOutput;
    private final StructType outputSchema;
    private final List<String> callSql;
    private final SQLMetric rowsNotExtracted;

    /**
     * @param arguments   text and labels expression of each call, in call order: text0, labels0, text1, labels1 ...
     * @param childOutput the child's attributes the arguments refer to
     * @param callSql          each call's SQL text, for messages
     * @param rowsNotExtracted counts the row calls that gave NULL because the row could not be extracted
     */
    InternalRowPartitionFunction(GlinerBatchSettings settings, Seq<Expression> arguments, Seq<Attribute> childOutput,
                               StructType outputSchema, List<String> callSql, SQLMetric rowsNotExtracted) {
        this.settings = settings;
        this.arguments = arguments;
        this.childOutput = childOutput;
        this.outputSchema = outputSchema;
        this.callSql = List.copyOf(callSql);
        this.rowsNotExtracted = rowsNotExtracted;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
        UnsafeProjection argumentValues = UnsafeProjection.create(arguments, childOutput);
        UnsafeProjection output = UnsafeProjection.create(outputSchema);
        int callCount = callSql.size();
        List<DataType> labelTypes = new ArrayList<>(callCount);
        for (int c = 0; c < callCount; c++) {
            labelTypes.add(arguments.apply(2 * c + 1).dataType());
        }
        PartitionExtraction extraction = new PartitionExtraction(settings.model(), settings.callOptions(), false,
                settings.rowsPerBlock(), null);
        return extraction.apply(rows, InternalRow::copy, new PartitionExtraction.RowAdapter<InternalRow, InternalRow>() {
            @Override
            public List<RowBlockExtractor.Request> requests(InternalRow row) {
                InternalRow values = argumentValues.apply(row);
                List<RowBlockExtractor.Request> requests = new ArrayList<>(callCount);
                for (int c = 0; c < callCount; c++) {
                    String text = values.isNullAt(2 * c) ? null : capped(values.getUTF8String(2 * c));
                    // No entity type asked for: nothing to extract, like a NULL list.
                    LabelSet labels = values.isNullAt(2 * c + 1) ? null : GlinerExtractCall.labelSet(
                            values.get(2 * c + 1, labelTypes.get(c)));
                    requests.add(new RowBlockExtractor.Request(new String[]{text}, labels));
                }
                return requests;
            }

            @Override
            public InternalRow output(InternalRow row, List<RowBlockExtractor.Result> results, long rowInPartition) {
                GenericInternalRow entities = new GenericInternalRow(callCount);
                for (int c = 0; c < callCount; c++) {
                    RowBlockExtractor.Result result = results.get(c);
                    if (result.error() != null) {
                        rowsNotExtracted.add(1);
                        LOG.warn("{}: {}; the row's value is NULL", describe(c, rowInPartition), result.error());
                        entities.update(c, null);
                        continue;
                    }
                    List<Entity> found = result.entities().get(0);
                    entities.update(c, found == null ? null : toArrayData(found));
                }
                return output.apply(new JoinedRow(row, entities)).copy();
            }
        });
    }

    /**
     * The text as a Java string, or null (NULL entities) when it is longer than the cap: such a text is neither
     * decoded nor split into words, so one huge value cannot exhaust the task's memory.
     */
    private String capped(UTF8String text) {
        int max = settings.maxTextChars();
        return text.numBytes() > max && text.numChars() > max ? null : text.toString();
    }

    /** The entities as the Catalyst array of an {@code InternalRow} field of type {@link EntitySchema#ENTITIES}. */
    private static ArrayData toArrayData(List<Entity> entities) {
        Object[] rows = new Object[entities.size()];
        for (int i = 0; i < rows.length; i++) {
            Entity e = entities.get(i);
            InternalRow row = new GenericInternalRow(new Object[]{
                    UTF8String.fromString(e.text()), UTF8String.fromString(e.label()), e.start(), e.end(), e.score()});
            rows[i] = row;
        }
        return new GenericArrayData(rows);
    }

    private String describe(int call, long rowInPartition) {
        return GlinerExtractCall.NAME + ": cannot extract row " + rowInPartition + " of partition "
                + PartitionExtraction.partition() + " in call " + (call + 1) + " of " + callSql.size()
                + " of this batch, " + callSql.get(call);
    }
}
