package io.glinerspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.DeviceSetting;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.SettingsDocument;
import io.glinerspark.settings.Spelling;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class GlinerCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPAN = Path.of(System.getProperty("gliner.repo.root", "."),
            "src/test/resources/fixtures/span").toString();

    @TempDir
    Path temp;

    private record Outcome(int status, List<JsonNode> lines, String stdout, String stderr) {
    }

    private static Outcome run(String stdin, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GlinerCli.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                out, new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        boolean jsonLines = args.length == 0 || args[0].equals("extract") || args[0].equals("bench");
        for (String line : stdout.split("\n")) {
            if (jsonLines && !line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Outcome(status, lines, stdout, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void biEncoderLinesGiveTheUniEncodersEntitiesAndAnUnusableLineLabelIsThatLinesError() throws IOException {
        String bi = Path.of(System.getProperty("gliner.repo.root", "."), "src/test/resources/fixtures/span_bi")
                .toString();
        String input = String.join("\n",
                "{\"id\": 1, \"text\": \"Alice met Bob in London\"}",
                "{\"id\": 2, \"text\": \"London\", \"labels\": {\"town\": \"city\"}}",
                "{\"id\": 3, \"text\": \"bob\", \"labels\": [\"person\", \"a b c d e f g h i j k l m n o\"]}") + "\n";
        String[] common = {"--labels", "person, location", "--intraOpThreads", "1"};
        Outcome uni = run(input, concat(new String[] {"extract", "--model", SPAN}, common));
        Outcome biOutcome = run(input, concat(new String[] {"extract", "--model", bi}, common));
        assertEquals(0, biOutcome.status(), biOutcome.stderr());
        assertEquals(uni.lines().subList(0, 2), biOutcome.lines().subList(0, 2));
        assertEquals("town", biOutcome.lines().get(1).get("entities").get(0).get("label").asText());
        assertTrue(biOutcome.lines().get(2).get("error").asText().contains("16 positions"), biOutcome.stdout());
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void oneOutputLinePerInputLineInOrderWithPerLineErrors() throws IOException {
        String input = String.join("\n",
                "{\"id\": \"a\", \"text\": \"Alice in New York\"}",
                "not json",
                "{\"id\": 7, \"text\": \"London\", \"labels\": [\"city\"]}",
                "{\"id\": \"no-text\"}",
                "{\"id\": \"null-text\", \"text\": null}",
                "{\"id\": \"bad-labels\", \"text\": \"bob\", \"labels\": \"person\"}",
                "{\"id\": \"empty-label\", \"text\": \"bob\", \"labels\": [\"person\", \"\"]}",
                "",
                "{\"id\": \"\\ud83d\\ude00\", \"text\": \"\\ud83d\\ude00 bob\"}") + "\n";
        Outcome outcome = run(input, "extract", "--model", SPAN, "--labels", "person, location", "--intraOpThreads", "1");
        assertEquals(0, outcome.status(), outcome.stderr());
        List<JsonNode> lines = outcome.lines();
        assertEquals(9, lines.size());

        JsonNode first = lines.get(0);
        assertEquals("a", first.get("id").asText());
        assertEquals(2, first.get("entities").size());
        JsonNode newYork = first.get("entities").get(1);
        assertEquals(9, newYork.get("start").asInt());
        assertEquals(17, newYork.get("end").asInt());
        assertEquals("New York", newYork.get("text").asText());
        assertEquals("location", newYork.get("label").asText());
        assertEquals(0.9525741, newYork.get("score").asDouble(), 1e-6);

        assertTrue(lines.get(1).get("id").isNull());
        assertTrue(lines.get(1).get("error").asText().contains("line 2"));
        assertEquals(7, lines.get(2).get("id").asInt());
        assertEquals("city", lines.get(2).get("entities").get(0).get("label").asText());
        assertTrue(lines.get(3).get("error").asText().contains("\"text\""));
        assertEquals(0, lines.get(4).get("entities").size());
        assertTrue(lines.get(5).get("error").asText().contains("labels"));
        assertTrue(lines.get(6).get("error").asText().contains("''"), lines.get(6).toString());
        assertTrue(lines.get(7).has("error"));
        JsonNode emoji = lines.get(8);
        assertEquals("\uD83D\uDE00", emoji.get("id").asText());
        assertEquals(2, emoji.get("entities").get(0).get("start").asInt(), "code-point offsets");
        assertTrue(outcome.stderr().contains("9 lines (5 errors)"), outcome.stderr());
    }

    @Test
    void aLineThatOnceBrokeTheSplitterOrTheWindowsDoesNotStopLaterLines() throws IOException {
        String chain = "a-".repeat(2000);
        String oversized = "\u4E2D".repeat(8000);
        StringBuilder manyLabels = new StringBuilder("[\"person\"");
        for (int i = 0; i < 299; i++) {
            manyLabels.append(", \"label").append(i).append('"');
        }
        manyLabels.append(']');
        String input = String.join("\n",
                "{\"id\": 1, \"text\": \"Alice in Paris\"}",
                "{\"id\": 2, \"text\": \"alice " + chain + " bob\"}",
                "{\"id\": 3, \"text\": \"bob\", \"labels\": [\"\"]}",
                "{\"id\": 4, \"text\": secret words}",
                "{\"id\": 5, \"text\": \"bob " + oversized + " london\"}",
                "{\"id\": 6, \"text\": \"carol met bob\", \"labels\": " + manyLabels + "}",
                "{\"id\": 7, \"text\": \"London\"}") + "\n";
        Outcome outcome = run(input, "extract", "--model", SPAN, "--labels", "person,location", "--intraOpThreads", "1");
        assertEquals(0, outcome.status(), outcome.stderr());
        List<JsonNode> lines = outcome.lines();
        assertEquals(7, lines.size(), outcome.stdout());
        for (int i = 0; i < 7; i++) {
            if (i != 3) {
                assertEquals(i + 1, lines.get(i).get("id").asInt(), "in input order");
            }
        }
        assertTrue(lines.get(3).get("id").isNull(), "a line that is not JSON has no id");
        assertEquals(List.of("person", "location"), labelsOf(lines.get(0)));
        JsonNode chained = lines.get(1).get("entities");
        assertEquals(List.of("alice", "bob"), List.of(chained.get(0).get("text").asText(),
                chained.get(1).get("text").asText()));
        assertEquals(4007, chained.get(1).get("start").asInt());
        assertTrue(lines.get(2).get("error").asText().contains("''"), lines.get(2).toString());
        String notJson = lines.get(3).get("error").asText();
        assertTrue(notJson.contains("line 4 is not JSON") && !notJson.contains("secret"), notJson);
        JsonNode skipped = lines.get(4).get("entities");
        assertEquals(List.of("person", "location"), labelsOf(lines.get(4)));
        assertEquals(8005, skipped.get(1).get("start").asInt(), "offsets after the oversized word");
        assertEquals(List.of("person", "person"), labelsOf(lines.get(5)), "300 labels: carol and bob");
        assertEquals(List.of("location"), labelsOf(lines.get(6)));
        // BERT splits the chain at every hyphen: it is one word of 3,999 sub-tokens, oversized like the CJK run
        assertTrue(outcome.stderr().contains("7 lines (2 errors)") && outcome.stderr().contains("oversized words 2")
                && outcome.stderr().contains("split label lists 1"), outcome.stderr());
    }

    @Test
    void aLineWhoseLabelsSpellAMarkerIsThatLinesErrorAndTheOthersAreWritten() throws IOException {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            String labels = i == 6 ? "[\"<<ENT>>\", \"location\"]" : i == 11 ? "[\"person <<SEP>> x\"]"
                    : "[\"person\", \"location\"]";
            input.append("{\"id\": ").append(i).append(", \"text\": \"Alice met Bob in Paris.\", \"labels\": ")
                    .append(labels).append("}\n");
        }
        Outcome outcome = run(input.toString(), "extract", "--model", SPAN, "--intraOpThreads", "1");
        assertEquals(0, outcome.status(), outcome.stderr());
        List<JsonNode> lines = outcome.lines();
        assertEquals(15, lines.size(), outcome.stdout());
        for (int i = 0; i < 15; i++) {
            JsonNode line = lines.get(i);
            assertEquals(i, line.get("id").asInt(), "in input order");
            if (i == 6 || i == 11) {
                String error = line.get("error").asText();
                assertTrue(error.contains(i == 6 ? "'<<ENT>>'" : "'person <<SEP>> x'"), error);
                assertTrue(!line.has("entities"), line.toString());
            } else {
                assertEquals(List.of("person", "person", "location"), labelsOf(line), line.toString());
            }
        }
        assertTrue(outcome.stderr().contains("15 lines (2 errors)"), outcome.stderr());
    }

    @Test
    void decodingOptionsReachTheModel() throws IOException {
        String input = "{\"id\": 1, \"text\": \"London eve\"}\n";
        List<JsonNode> flat = run(input, "extract", "--model", SPAN, "--labels", "person,location,city").lines();
        assertEquals(1, flat.get(0).get("entities").size());
        List<JsonNode> multi = run(input, "extract", "--model", SPAN, "--labels", "person,location,city",
                "--multiLabel", "true", "--threshold", "0.4", "--labelThresholds", "city=0.95").lines();
        // eve passes at 0.4; city's 0.924 is below its own 0.95
        assertEquals(List.of("location", "person"), labelsOf(multi.get(0)));
    }

    @Test
    void aLineMayDescribeItsLabelsAndTheEntitiesKeepTheLabels() throws IOException {
        String text = "Tim Cook met the mayor of Austin in Cupertino.";
        String input = String.join("\n",
                "{\"id\": 1, \"text\": \"" + text + "\", \"labels\": {\"person\": \"name of a human\", "
                        + "\"city\": \"town or city\"}}",
                "{\"id\": 2, \"text\": \"" + text + "\", \"labels\": [\"name of a human\", \"town or city\"]}",
                "{\"id\": 3, \"text\": \"" + text + "\"}",
                "{\"id\": 4, \"text\": \"" + text + "\", \"labels\": {\"person\": \"a\", \"city\": \"a\"}}",
                "{\"id\": 5, \"text\": \"" + text + "\", \"labels\": {\"person\": 1}}",
                "{\"id\": 6, \"text\": \"" + text + "\", \"labels\": {\"person\": \"<<ENT>>\"}}",
                "{\"id\": 7, \"text\": \"" + text + "\", \"labels\": [\"city\", \"person\"]}") + "\n";
        Outcome outcome = run(input, "extract", "--model", "default", "--labels", "person,city", "--labelDescriptions",
                "{\"person\": \"name of a human\", \"city\": \"town or city\"}", "--intraOpThreads", "1");
        assertEquals(0, outcome.status(), outcome.stderr());
        List<JsonNode> lines = outcome.lines();
        assertEquals(7, lines.size());

        JsonNode described = lines.get(0).get("entities");
        assertTrue(described.size() >= 2, described.toString());
        List<String> labels = labelsOf(lines.get(0));
        assertTrue(List.of("person", "city").containsAll(labels), labels.toString());
        // The descriptions as labels give the same spans and scores under the descriptions' names.
        ArrayNode renamed = (ArrayNode) lines.get(1).get("entities").deepCopy();
        renamed.forEach(e -> ((ObjectNode) e).put("label", e.get("label").asText().equals("name of a human")
                ? "person" : "city"));
        assertEquals(renamed, described);
        // --labelDescriptions describes --labels and the labels of a line's array.
        assertEquals(described, lines.get(2).get("entities"));
        assertTrue(lines.get(3).get("error").asText().contains("unique"), lines.get(3).toString());
        assertTrue(lines.get(4).get("error").asText().contains("object of label to description"), lines.get(4).toString());
        assertTrue(lines.get(5).get("error").asText().contains("label 'person' (its description '<<ENT>>')"),
                lines.get(5).toString());
        List<String> reordered = labelsOf(lines.get(6));
        assertTrue(!reordered.isEmpty() && List.of("person", "city").containsAll(reordered), reordered.toString());
    }

    private static List<String> labelsOf(JsonNode line) {
        List<String> labels = new ArrayList<>();
        line.get("entities").forEach(e -> labels.add(e.get("label").asText()));
        return labels;
    }

    @Test
    void usageAndLoadErrorsHaveDistinctStatuses() throws IOException {
        assertEquals(2, run("", "extract", "--model", SPAN, "--bogus").status());
        assertEquals(2, run("", "extract", "--model", SPAN, "--longText", "sometimes").status());
        assertEquals(2, run("", "frobnicate").status());
        Outcome missing = run("", "extract", "--model", temp.resolve("absent").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.stderr().contains("absent"), missing.stderr());
    }

    @Test
    void benchPrintsOneJsonLine() throws IOException {
        Path corpus = temp.resolve("corpus.jsonl");
        Files.writeString(corpus, "{\"id\": \"1\", \"text\": \"Alice met Bob in Paris\"}\n"
                + "{\"id\": \"2\", \"text\": \"Google hired John Smith in London\"}\n"
                + "{\"id\": \"3\", \"text\": \"nothing here\"}\n");
        Outcome outcome = run("", "bench", "--model", SPAN, "--corpus", corpus.toString(), "--limit", "2",
                "--batchWords", "1000", "--batchTokens", "500", "--intraOpThreads", "1", "--labels", "person,location,organization");
        assertEquals(0, outcome.status(), outcome.stderr());
        assertEquals(1, outcome.lines().size());
        JsonNode result = outcome.lines().get(0);
        assertEquals(2, result.get("docs").asInt());
        assertEquals(11, result.get("words").asInt());
        assertEquals(6, result.get("entities").asInt());
        for (String field : List.of("tokens", "wall_s", "docs_per_s", "words_per_s", "ort_s", "overhead",
                "peak_heap_mb")) {
            assertTrue(result.has(field), field);
        }
        assertEquals(1000, result.get("settings").get("batch_words").asInt());
        assertTrue(result.get("settings").get("fixture").asBoolean());
    }

    @Test
    void everySettingOfBothCommandsIsReadUnderItsRegistryNameAndDefault() {
        for (FrontEnd command : List.of(FrontEnd.CLI_EXTRACT, FrontEnd.CLI_BENCH)) {
            SettingValues none = GlinerCli.settings(List.of(), command);
            for (Setting<?> setting : Settings.readBy(command)) {
                assertEquals(setting.defaultValue(), none.get(setting), setting.name());
                String good = SettingSamples.GOOD.get(setting.name());
                SettingValues given = GlinerCli.settings(List.of("--" + setting.name(), good), command);
                assertEquals(setting.parse(good, Spelling.OPTION), given.get(setting), setting.name());
            }
        }
        // Without a GPU scheduler, the registry's device auto is the CPU.
        assertEquals(ModelOptions.defaults().withDevice(DeviceSetting.CPU, false),
                ModelOptions.localFrom(GlinerCli.settings(List.of(), FrontEnd.CLI_EXTRACT)));
        assertEquals("cuda", ModelOptions.localFrom(GlinerCli.settings(List.of("--device", "cuda"), FrontEnd.CLI_EXTRACT)).device().toString());
    }

    @Test
    void aBadValueOfEachSettingIsAUsageErrorNamingIt() throws IOException {
        for (FrontEnd command : List.of(FrontEnd.CLI_EXTRACT, FrontEnd.CLI_BENCH)) {
            String name = command == FrontEnd.CLI_EXTRACT ? "extract" : "bench";
            for (Setting<?> setting : Settings.readBy(command)) {
                SettingSamples.Bad bad = SettingSamples.BAD.get(setting.name());
                Outcome outcome = run("", name, "--model", SPAN, "--" + setting.name(), bad.value());
                assertEquals(2, outcome.status(), setting.name() + ": " + outcome.stderr());
                assertTrue(outcome.stderr().contains("--" + setting.name() + ": " + bad.message()), outcome.stderr());
            }
        }
        Outcome notRead = run("", "extract", "--rowsPerBlock", "8");
        assertEquals(2, notRead.status());
        assertTrue(notRead.stderr().contains("--rowsPerBlock is not read here"), notRead.stderr());
    }

    @Test
    void helpListsEverySettingOfTheCommands() throws IOException {
        Outcome help = run("", "--help");
        for (Setting<?> setting : Settings.readBy(FrontEnd.CLI_BENCH)) {
            assertTrue(help.stdout().contains("--" + setting.name() + " "), setting.name());
        }
    }

    @Test
    void settingsPrintsTheRegistry() throws IOException {
        Outcome outcome = run("", "settings");
        assertEquals(0, outcome.status(), outcome.stderr());
        JsonNode settings = JSON.readTree(outcome.stdout()).get("settings");
        assertEquals(Settings.all().size(), settings.size());
        assertEquals("threshold", settings.get(Settings.all().indexOf(Settings.THRESHOLD)).get("name").asText());
        assertEquals(0.5, settings.get(Settings.all().indexOf(Settings.THRESHOLD)).get("default").asDouble());
    }

    @Test
    void settingsDocPrintsTheSettingsPage() throws IOException {
        Outcome outcome = run("", "settings-doc");
        assertEquals(0, outcome.status(), outcome.stderr());
        assertEquals(SettingsDocument.markdown(), outcome.stdout());
        Outcome extra = run("", "settings-doc", "--labels", "person");
        assertEquals(2, extra.status());
        assertTrue(extra.stderr().contains("settings-doc takes no arguments"), extra.stderr());
    }
}
