package io.glinerspark.settings;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/settings.md is the page the registry generates: every setting, its group, default, readers and doc. */
@Tag("core")
class SettingsDocsTest {

    private static final Path PAGE = Path.of(System.getProperty("gliner.repo.root", "."), "docs/settings.md");

    @Test
    void theSettingsPageIsTheGeneratedOne() throws IOException {
        assertTrue(Files.isRegularFile(PAGE), PAGE + " is missing: generate it with "
                + "jobs/gliner.sh settings-doc > docs/settings.md");
        assertEquals(SettingsDocument.markdown(), Files.readString(PAGE, StandardCharsets.UTF_8),
                PAGE + " differs from the settings registry: regenerate it with "
                        + "jobs/gliner.sh settings-doc > docs/settings.md");
    }

    @Test
    void theTableHasOneRowPerSettingWithItsDefaultAndReaders() {
        List<String> rows = SettingsDocument.markdown().lines().filter(line -> line.startsWith("| `")).toList();
        assertEquals(Settings.all().size(), rows.size());
        assertEquals("| `threshold` | decoding | `0.5` | conf, job, Transformer, CLI, bench, Spark bench, eval | "
                + Settings.THRESHOLD.doc() + " |", rows.get(Settings.all().indexOf(Settings.THRESHOLD)));
        String outputCol = rows.get(Settings.all().indexOf(Settings.OUTPUT_COL));
        assertTrue(outputCol.startsWith("| `outputCol` | Transformer columns | `entities` | Transformer | "), outputCol);
    }

    @Test
    void tagLikeTextInADocIsEscaped() {
        String labelsCol = SettingsDocument.markdown().lines().filter(line -> line.startsWith("| `labelsCol` |"))
                .findFirst().orElseThrow();
        assertTrue(labelsCol.contains("array\\<string>"), labelsCol);
        // Five cells between six unescaped bars: the split gives the empty text before the first and after the last.
        assertEquals(7, labelsCol.split("(?<!\\\\)\\|", -1).length, "five cells: " + labelsCol);
    }
}
