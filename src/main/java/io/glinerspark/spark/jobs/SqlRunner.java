package io.glinerspark.spark.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small local stand-in for the {@code spark-sql} shell (which no reachable registry ships): runs SQL statements
 * from {@code -e "<statements>"} or {@code -f file.sql} in a session with Delta and {@code gliner_extract}, and
 * prints each result as a table. {@code --conf key=value} sets session settings such as
 * {@code spark.gliner.model}. Launch with {@code jobs/sql.sh}.
 */
public final class SqlRunner {

    /** Rows printed per result at most. */
    static final int MAX_ROWS = 1000;

    private SqlRunner() {
    }

    public static void main(String[] args) throws IOException {
        String script = null;
        SparkConf conf = new SparkConf();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-e" -> script = value(args, ++i, "-e");
                case "-f" -> script = Files.readString(Path.of(value(args, ++i, "-f")), StandardCharsets.UTF_8);
                case "--conf" -> {
                    String setting = value(args, ++i, "--conf");
                    int eq = setting.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--conf expects key=value, got '" + setting + "'");
                    }
                    conf.set(setting.substring(0, eq), setting.substring(eq + 1));
                }
                case "-h", "--help" -> {
                    System.out.println("Usage: jobs/sql.sh [--conf key=value]... (-e \"<statements>\" | -f file.sql)");
                    return;
                }
                default -> throw new IllegalArgumentException("unexpected argument '" + args[i] + "'; see --help");
            }
        }
        if (script == null) {
            throw new IllegalArgumentException("give statements with -e \"...\" or a file with -f file.sql");
        }
        SparkSession spark = JobSessions.create(conf, "gliner-sql");
        try {
            run(spark, script, System.out);
        } finally {
            spark.stop();
        }
    }

    /** Runs each statement of {@code script} and prints its rows. */
    static void run(SparkSession spark, String script, PrintStream out) {
        for (String statement : statements(script)) {
            out.println("> " + statement.replaceAll("\\s+", " "));
            Dataset<Row> result = spark.sql(statement);
            List<Row> rows = result.limit(MAX_ROWS + 1).collectAsList();
            if (result.columns().length > 0) {
                boolean truncated = rows.size() > MAX_ROWS;
                List<Row> shown = truncated ? rows.subList(0, MAX_ROWS) : rows;
                out.print(TextTable.format(result.schema(), shown, ""));
                out.println(shown.size() + (truncated ? "+" : "") + (shown.size() == 1 ? " row" : " rows"));
            }
            out.println();
        }
        out.flush();
    }

    /** Splits a script at semicolons outside quotes, identifiers in backquotes and comments. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && quote != '`' && i + 1 < script.length()) {
                    current.append(script.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
                while (i < script.length() && script.charAt(i) != '\n') {
                    i++;
                }
                current.append('\n');
            } else if (c == ';') {
                addStatement(statements, current);
            } else {
                if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                }
                current.append(c);
            }
        }
        addStatement(statements, current);
        return statements;
    }

    private static void addStatement(List<String> statements, StringBuilder current) {
        String statement = current.toString().trim();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
