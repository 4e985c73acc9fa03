package io.glinerspark.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("core")
class SettingsDocumentTest {

    private static final Path PYTHON_COPY = Path.of(System.getProperty("gliner.repo.root", "."),
            "python/gliner_spark/settings.json");

    @Test
    void thePythonPackageShipsTheRegistryAsItIs() throws IOException {
        assertEquals(SettingsDocument.json(), Files.readString(PYTHON_COPY, StandardCharsets.UTF_8),
                PYTHON_COPY + " differs from the registry: regenerate it with "
                        + "jobs/gliner.sh settings > python/gliner_spark/settings.json");
    }

    @Test
    void eachEntryHasTheRegistrysTypedDefault() throws IOException {
        JsonNode settings = new ObjectMapper().readTree(SettingsDocument.json()).get("settings");
        assertEquals(Settings.all().size(), settings.size());
        for (int i = 0; i < settings.size(); i++) {
            Setting<?> setting = Settings.all().get(i);
            JsonNode entry = settings.get(i);
            assertEquals(setting.name(), entry.get("name").asText());
            assertEquals(setting.doc(), entry.get("doc").asText());
            Object expected = setting.defaultValue();
            if (expected != null && setting.type().kind() == SettingType.Kind.TEXT) {
                // Choices and devices travel in their text form, the form every front end accepts.
                expected = setting.defaultText();
            }
            JsonNode actual = entry.get("default");
            if (expected == null) {
                assertEquals(true, actual.isNull(), setting.name());
            } else {
                assertEquals(new ObjectMapper().valueToTree(expected), actual, setting.name());
            }
        }
    }
}
