package io.glinerspark.settings;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's table of settings is the registry's: every setting, its group, default, readers and doc. */
@Tag("core")
class ReadmeSettingsTableTest {

    private static final Path README = Path.of(System.getProperty("gliner.repo.root", "."), "README.md");
    private static final String HEADER = "| setting | group | default | read by | meaning |";

    private static final Map<FrontEnd, String> SHORT_NAMES = Map.ofEntries(
            entry(FrontEnd.SPARK_CONF, "conf"), entry(FrontEnd.SQL_OPTIONS, "SQL"), entry(FrontEnd.EXTRACT_JOB, "job"),
            entry(FrontEnd.TRANSFORMER, "Transformer"), entry(FrontEnd.CLI_EXTRACT, "CLI"),
            entry(FrontEnd.CLI_BENCH, "bench"), entry(FrontEnd.SPARK_BENCHMARK, "Spark bench"),
            entry(FrontEnd.EVALUATION, "eval"));

    @Test
    void theReadmeTableListsEverySettingAsTheRegistryDefinesIt() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int start = lines.indexOf(HEADER);
        assertTrue(start >= 0, "README.md has no line '" + HEADER + "'");
        int end = start;
        while (end < lines.size() && lines.get(end).startsWith("|")) {
            end++;
        }
        String actual = String.join("\n", lines.subList(start, end));
        String expected = table();
        assertEquals(expected, actual, "README.md's settings table differs from the registry; it should be:\n"
                + expected);
    }

    @Test
    void everyFrontEndHasAShortName() {
        assertEquals(FrontEnd.values().length, SHORT_NAMES.size());
    }

    private static String table() {
        StringBuilder table = new StringBuilder(HEADER).append("\n|---|---|---|---|---|");
        for (Setting<?> setting : Settings.all()) {
            String readers = setting.frontEnds().stream().sorted().map(SHORT_NAMES::get)
                    .collect(Collectors.joining(", "));
            table.append("\n| `").append(setting.name()).append("` | ").append(setting.group().title()).append(" | ")
                    .append(setting.defaultText() == null ? "" : "`" + setting.defaultText() + "`").append(" | ")
                    .append(readers).append(" | ").append(markdown(setting.doc())).append(" |");
        }
        return table.toString();
    }

    private static String markdown(String text) {
        return text.replace("|", "\\|").replace("<", "\\<");
    }
}
