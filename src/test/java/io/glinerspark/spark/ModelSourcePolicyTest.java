package io.glinerspark.spark;

import io.glinerspark.ModelOptions;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.spark.ml.GlinerTransformer;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spark.gliner.allowedModelSources}: which sources a Transformer may load, for classic sessions and Spark
 * Connect clients (the Connect server itself is exercised by the Python Connect tests).
 */
@Tag("spark")
class ModelSourcePolicyTest {

    private static SettingValues application(String... entries) {
        Map<String, String> conf = new HashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            conf.put(entries[i], entries[i + 1]);
        }
        return GlinerConf.settings(conf);
    }

    private static ModelOptions model(String source) {
        return ModelOptions.defaults().withSource(source);
    }

    @Test
    void unsetAllowsAnySourceToClassicSessionsAndOnlyTheApplicationsModelToConnectClients() {
        SettingValues app = application("spark.gliner.model", "/models/app");
        for (String source : List.of("/models/app", "/etc", "hf://someone/else", "default")) {
            assertDoesNotThrow(() -> ModelSourcePolicy.check(app, model(source), false), source);
        }
        assertDoesNotThrow(() -> ModelSourcePolicy.check(app, model("/models/app"), true));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ModelSourcePolicy.check(app, model("/data/secret-model"), true));
        assertTrue(refused.getMessage().startsWith("model '/data/secret-model' (onnxFile 'auto') is not allowed "
                + "to Spark Connect clients in this application: spark.gliner.allowedModelSources is not set"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("the application's model is '/models/app'"), refused.getMessage());
        // Another ONNX file of the application's bundle is another model.
        assertThrows(IllegalArgumentException.class, () -> ModelSourcePolicy.check(app,
                model("/models/app").withOnnxFile("../../elsewhere/model.onnx"), true));
        // Unset model: the bundled one is the application's.
        assertDoesNotThrow(() -> ModelSourcePolicy.check(application(), model("default"), true));
        assertThrows(IllegalArgumentException.class, () -> ModelSourcePolicy.check(application(), model("/m"), true));
    }

    @Test
    void entriesAllowTheApplicationsModelSourcesAndPrefixes() {
        SettingValues app = application("spark.gliner.model", "/models/app",
                "spark.gliner.allowedModelSources", "application, hf://acme/, /shared/models, default");
        for (boolean connect : new boolean[]{false, true}) {
            for (String source : List.of("/models/app", "hf://acme/ner", "hf://acme/ner@v2", "/shared/models",
                    "/shared/models/large", "default")) {
                assertDoesNotThrow(() -> ModelSourcePolicy.check(app, model(source), connect), source);
            }
            for (String source : List.of("/models/app/../other", "hf://acmex/ner", "hf://other/ner",
                    "/shared/models-private", "/shared/models/../../etc", "default/x", "/models/app2")) {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> ModelSourcePolicy.check(app, model(source), connect), source);
                assertTrue(refused.getMessage().contains("model '" + source + "'"), refused.getMessage());
                assertTrue(refused.getMessage().contains("spark.gliner.allowedModelSources is 'application,"
                        + "hf://acme/,/shared/models,default'"), refused.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> ModelSourcePolicy.check(app,
                    model("/shared/models/a").withOnnxFile("../../b/model.onnx"), connect));
        }
        SettingValues any = application("spark.gliner.allowedModelSources", "any");
        assertDoesNotThrow(() -> ModelSourcePolicy.check(any, model("/anything"), true));
        SettingValues onlyApplication = application("spark.gliner.allowedModelSources", "application");
        assertThrows(IllegalArgumentException.class,
                () -> ModelSourcePolicy.check(onlyApplication, model("/anything"), false));
    }

    @Test
    void aTestThreadIsNoConnectServer() {
        assertFalse(ModelSourcePolicy.calledByConnectServer());
    }

    @Test
    void aClassicSessionWithTheSettingRefusesOtherModelsOnTheDriverBeforeAnyJob() throws Exception {
        String app = TestSpark.fixture("span");
        String other = TestSpark.fixture("span_width4");
        SparkSession spark = TestSpark.start("local[1]", Map.of("spark.gliner.model", app,
                "spark.gliner.allowedModelSources", "application"));
        try {
            AtomicInteger jobs = new AtomicInteger();
            spark.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart jobStart) {
                    jobs.incrementAndGet();
                }
            });
            Dataset<Row> docs = spark.sql("SELECT 'Alice visited London' AS text");
            // A session cannot widen the application's setting.
            spark.conf().set("spark.gliner.allowedModelSources", "any");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new GlinerTransformer().setModel(other).setInputCol("text").setLabels("person")
                            .transform(docs));
            assertTrue(refused.getMessage().startsWith("model '" + other + "' (onnxFile 'auto') is not allowed "
                    + "in this application: spark.gliner.allowedModelSources is 'application'"), refused.getMessage());
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(0, jobs.get(), "refused before any job ran");

            List<Row> found = new GlinerTransformer().setModel(app).setInputCol("text").setLabels("person")
                    .transform(docs).collectAsList();
            assertEquals("Alice", found.get(0).<Row>getList(1).get(0).getString(0));
        } finally {
            spark.stop();
        }
    }
}
