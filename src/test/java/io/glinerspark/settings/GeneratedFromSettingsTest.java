package io.glinerspark.settings;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files generated from the registry are checked in as the registry generates them. */
@Tag("core")
class GeneratedFromSettingsTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", "."));

    @Test
    void theShippedDefaultsFileIsTheRegistrys() throws IOException {
        assertEquals(DefaultsConf.text(), Files.readString(ROOT.resolve(DefaultsConf.PATH), StandardCharsets.UTF_8),
                DefaultsConf.PATH + " differs from the registry: regenerate it with "
                        + "jobs/gliner.sh defaults-conf > " + DefaultsConf.PATH);
    }

    @Test
    void theDefaultsFileStatesEachDefaultAndSizesBudgetsPerDevice() throws IOException {
        Properties uncommented = new Properties();
        for (String line : DefaultsConf.text().split("\n")) {
            if (line.startsWith("#" + Settings.PREFIX)) {
                uncommented.load(new java.io.StringReader(line.substring(1)));
            }
        }
        for (Setting<?> setting : Settings.readBy(FrontEnd.SPARK_CONF)) {
            String key = Spelling.CONF_KEY.of(setting.name());
            assertTrue(uncommented.containsKey(key), key);
            assertEquals(setting.defaultText() == null ? "" : setting.defaultText(), uncommented.getProperty(key), key);
        }
        assertEquals("0", uncommented.getProperty("spark.gliner.batchWords"));
        assertEquals("0", uncommented.getProperty("spark.gliner.batchTokens"));
        assertTrue(DefaultsConf.text().contains("# batch budget: padded words x max span width (0 = sized for the "
                + "device"), DefaultsConf.text());
    }

    @Test
    void theTransformersParametersAreTheRegistrys() throws IOException {
        assertEquals(TransformerParamsSource.text(),
                Files.readString(ROOT.resolve(TransformerParamsSource.PATH), StandardCharsets.UTF_8),
                TransformerParamsSource.PATH + " differs from the registry: regenerate it with "
                        + "jobs/gliner.sh transformer-params > " + TransformerParamsSource.PATH);
    }

    @Test
    void everyTransformerSettingHasItsParameter() {
        String source = TransformerParamsSource.text();
        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
            String name = setting.name();
            assertTrue(source.contains(" " + name + "() {"), name);
            assertTrue(source.contains("Settings." + TransformerParamsSource.constant(name) + ")"), name);
        }
    }
}
