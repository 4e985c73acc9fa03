package io.glinerspark.settings;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class OptionArgumentsTest {

    @Test
    void bothFormsAndTheLastValueWins() {
        Map<String, String> values = OptionArguments.parse(List.of("--threshold", "0.3", "--labels=a,b",
                "--threshold", "0.4"), FrontEnd.CLI_EXTRACT, Set.of());
        assertEquals(Map.of("threshold", "0.4", "labels", "a,b"), values);
    }

    @Test
    void unknownNamesMissingValuesAndStrayArgumentsAreErrors() {
        assertMessage("unknown option 'treshold' (command line)", FrontEnd.CLI_EXTRACT, "--treshold", "0.4");
        assertMessage("unknown option 'rowsPerBlock' (command line): --rowsPerBlock is not read here",
                FrontEnd.CLI_EXTRACT, "--rowsPerBlock", "4");
        assertMessage("--model needs a value", FrontEnd.EVALUATION, "--model");
        assertMessage("--model needs a value", FrontEnd.EVALUATION, "--model", "--data", "d");
        assertMessage("unexpected argument 'x'", FrontEnd.EVALUATION, "x");
    }

    @Test
    void extraNamesAreTheCommandsOwn() {
        assertEquals(Map.of("conf-file", "f"), OptionArguments.parse(List.of("--conf-file", "f"),
                FrontEnd.EXTRACT_JOB, Set.of("conf-file")));
    }

    @Test
    void helpListsEachSettingWithItsDefault() {
        String help = OptionArguments.help(Settings.readBy(FrontEnd.CLI_EXTRACT));
        for (Setting<?> setting : Settings.readBy(FrontEnd.CLI_EXTRACT)) {
            assertTrue(help.contains("--" + setting.name() + " "), setting.name());
        }
        assertTrue(help.contains("default: 0.5"), help);
        assertTrue(help.contains("an integer in [0, 4194304]; default: 0"), help);
    }

    private static void assertMessage(String expected, FrontEnd frontEnd, String... args) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> OptionArguments.parse(List.of(args), frontEnd, Set.of()));
        assertTrue(error.getMessage().startsWith(expected), error.getMessage());
    }
}
