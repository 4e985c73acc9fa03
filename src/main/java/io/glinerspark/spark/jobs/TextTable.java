package io.glinerspark.spark.jobs;

import io.glinerspark.spark.ScalaSeqs;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/** Formats collected rows as a plain-text table for terminals (job summaries, the SQL runner). */
final class TextTable {

    private static final int MAX_CELL = 80;

    private TextTable() {
    }

    /** The table, each line prefixed with {@code indent} and ended with a newline. */
    static String format(StructType schema, List<Row> rows, String indent) {
        String[] names = schema.fieldNames();
        List<String[]> cells = new ArrayList<>();
        int[] widths = new int[names.length];
        for (int c = 0; c < names.length; c++) {
            widths[c] = names[c].length();
        }
        for (Row row : rows) {
            String[] line = new String[names.length];
            for (int c = 0; c < names.length; c++) {
                line[c] = cell(row.get(c));
                widths[c] = Math.max(widths[c], line[c].length());
            }
            cells.add(line);
        }
        StringBuilder text = new StringBuilder();
        StringBuilder rule = new StringBuilder(indent).append('+');
        for (int width : widths) {
            rule.append("-".repeat(width + 2)).append('+');
        }
        rule.append('\n');
        text.append(rule);
        appendLine(text, indent, names, widths);
        text.append(rule);
        for (String[] line : cells) {
            appendLine(text, indent, line, widths);
        }
        text.append(rule);
        return text.toString();
    }

    private static void appendLine(StringBuilder text, String indent, String[] values, int[] widths) {
        text.append(indent).append('|');
        for (int c = 0; c < values.length; c++) {
            text.append(' ').append(values[c]).append(" ".repeat(widths[c] - values[c].length())).append(" |");
        }
        text.append('\n');
    }

    private static String cell(Object value) {
        String text;
        if (value == null) {
            text = "NULL";
        } else if (value instanceof scala.collection.Seq<?> seq) {
            text = ScalaSeqs.list(seq).toString();
        } else {
            text = value.toString();
        }
        text = text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 3) + "..." : text;
    }
}
