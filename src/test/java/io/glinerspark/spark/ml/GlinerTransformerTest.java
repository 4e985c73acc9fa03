package io.glinerspark.spark.ml;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;
import io.glinerspark.spark.TestSpark;
import io.glinerspark.spark.task.ExtractionMetrics;
import io.glinerspark.types.Entity;
import org.apache.spark.SparkException;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DataFrame path on the fixture model, whose logits are a known function of the words (see
 * training/fixtures/README.md): alice/bob 3.0 person, london 2.5 location and city, background -8.
 */
@Tag("spark")
class GlinerTransformerTest {

    private static final List<String> LABELS = List.of("person", "location", "city");
    private static SparkSession spark;
    private static String model;

    @BeforeAll
    static void start() {
        // local[2,2]: a failed task is retried once.
        spark = TestSpark.start("local[2,2]");
        model = TestSpark.fixture("span");
        TestSpark.registerFailFirstAttempt(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void addsEntitiesKeepsColumnsAndMapsNullAndEmptyText() {
        Dataset<Row> docs = docs(
                RowFactory.create(1, "Alice and Bob visited London"),
                RowFactory.create(2, null),
                RowFactory.create(3, ""),
                RowFactory.create(4, "nothing to see here"));
        List<Row> out = transformer().transform(docs).orderBy("id").collectAsList();

        assertEquals(List.of("id", "text", "entities"), Arrays.asList(out.get(0).schema().fieldNames()));
        assertEquals(List.of("Alice|person|0|5", "Bob|person|10|13", "London|location|22|28"), entities(out.get(0)));
        assertEquals(0.95257413f, out.get(0).<Row>getList(2).get(0).getFloat(4), 1e-6f);
        assertTrue(out.get(1).isNullAt(2), "NULL text gives NULL entities");
        assertEquals(List.of(), entities(out.get(2)), "empty text gives an empty array");
        assertEquals(List.of(), entities(out.get(3)));
    }

    @Test
    void blocksKeepInputOrderAndMatchTheEngine() {
        List<Row> rows = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String text = switch (i % 4) {
                case 0 -> "alice in new york " + i;
                case 1 -> "bob flew to paris and london";
                case 2 -> "carol and dave and eve";
                default -> "john smith works at google";
            };
            rows.add(RowFactory.create(i, text));
            texts.add(text);
        }
        // One partition of 23 rows read in blocks of 5: order and values must survive the blocking.
        Dataset<Row> docs = docs(rows.toArray(Row[]::new)).coalesce(1);
        List<Row> out = transformer().setRowsPerBlock(5).transform(docs).collectAsList();

        List<List<Entity>> expected = GlinerModel.shared(new GlinerTransformer().setModel(model).setDevice("cpu")
                .modelOptions()).extract(texts, LABELS, ExtractionOptions.defaults());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i).getInt(0), "row order");
            List<String> want = expected.get(i).stream().map(e -> e.text() + "|" + e.label() + "|" + e.start() + "|" + e.end()).toList();
            assertEquals(want, entities(out.get(i)), "row " + i);
        }
    }

    @Test
    void severalTextColumnsGetOneEntitiesColumnEach() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("title", DataTypes.StringType)
                .add("body", DataTypes.StringType);
        Dataset<Row> docs = spark.createDataFrame(List.of(RowFactory.create(1, "Alice", "Bob in London")), schema);
        Row out = new GlinerTransformer().setInputCols("title", "body").setOutputCols("title_entities", "body_entities")
                .setLabels(LABELS.toArray(String[]::new)).setModel(model).transform(docs).first();
        assertEquals(List.of("Alice|person|0|5"), entities(out, "title_entities"));
        assertEquals(List.of("Bob|person|0|3", "London|location|7|13"), entities(out, "body_entities"));
    }

    @Test
    void perRowLabelsAndRowErrorsInTheErrorColumn() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType)
                .add("labels", DataTypes.createArrayType(DataTypes.StringType));
        Dataset<Row> docs = spark.createDataFrame(List.of(
                RowFactory.create(1, "Alice in London", new String[]{"person"}),
                RowFactory.create(2, "Alice in London", new String[]{"city"}),
                RowFactory.create(3, "Alice in London", new String[]{"person", null}),
                RowFactory.create(4, "Alice in London", new String[]{""}),
                RowFactory.create(5, "Alice in London", null),
                RowFactory.create(6, "Alice in London", new String[]{"person", "\u4E2D".repeat(600)})), schema);
        GlinerTransformer perRow = new GlinerTransformer().setInputCol("text").setLabelsCol("labels").setModel(model);
        List<Row> out = perRow.copy(new org.apache.spark.ml.param.ParamMap()).setErrorCol("error")
                .transform(docs).orderBy("id").collectAsList();

        assertEquals(List.of("Alice|person|0|5"), entities(out.get(0)));
        assertEquals(List.of("London|city|9|15"), entities(out.get(1)));
        assertTrue(out.get(2).isNullAt(3));
        assertTrue(out.get(2).getString(4).contains("label 1 is null"), out.get(2).getString(4));
        assertTrue(out.get(3).isNullAt(3));
        assertTrue(!out.get(3).isNullAt(4), "an empty label is an error of that row");
        assertTrue(out.get(4).isNullAt(3) && out.get(4).isNullAt(4), "NULL labels give NULL entities");
        assertNull(out.get(0).getString(4));
        assertTrue(out.get(5).isNullAt(3) && out.get(5).getString(4).contains("no room for text"),
                "a per-row label that can never fit is an error of that row: " + out.get(5));

        SparkException failure = assertThrows(SparkException.class, () -> perRow.transform(docs).collectAsList());
        String message = rootMessage(failure);
        assertTrue(message.contains("cannot extract row") && message.contains("of partition ")
                && message.contains("column text: text of 15 code points") && message.contains("set errorCol"), message);
        assertTrue(!message.contains("Alice"), "the message does not quote the text: " + message);
    }

    @Test
    void biEncoderFindsWhatTheUniEncoderFindsWithSharedAndPerRowLabels() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType)
                .add("labels", DataTypes.createArrayType(DataTypes.StringType));
        Dataset<Row> docs = spark.createDataFrame(List.of(
                RowFactory.create(1, "Alice in London", new String[]{"person", "city"}),
                RowFactory.create(2, "john smith met bob in new york", new String[]{"location"}),
                RowFactory.create(3, "Alice in London", new String[]{"person", "a b c d e f g h i j k l m n o"})),
                schema).repartition(2);
        String bi = TestSpark.fixture("span_bi");
        for (boolean perRow : new boolean[]{false, true}) {
            GlinerTransformer uniEncoder = new GlinerTransformer().setInputCol("text").setModel(model)
                    .setErrorCol("error");
            GlinerTransformer biEncoder = new GlinerTransformer().setInputCol("text").setModel(bi)
                    .setErrorCol("error");
            if (perRow) {
                uniEncoder.setLabelsCol("labels");
                biEncoder.setLabelsCol("labels");
            } else {
                uniEncoder.setLabels(LABELS.toArray(String[]::new));
                biEncoder.setLabels(LABELS.toArray(String[]::new));
            }
            List<Row> expected = uniEncoder.transform(docs).orderBy("id").collectAsList();
            List<Row> actual = biEncoder.transform(docs).orderBy("id").collectAsList();
            for (int i = 0; i < 2; i++) {
                assertEquals(entities(expected.get(i)), entities(actual.get(i)), "row " + i + ", per row " + perRow);
                assertTrue(!entities(actual.get(i)).isEmpty(), "row " + i + " finds entities");
            }
            if (perRow) {
                // the fixture's label encoder holds 16 positions: this row's second label is its error
                assertTrue(actual.get(2).isNullAt(3) && actual.get(2).getString(4).contains("16 positions"),
                        actual.get(2).toString());
            }
        }
    }

    @Test
    void labelsThatSpellAMarkerAreTheirRowsErrorOrFailTransformWhenShared() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType)
                .add("labels", DataTypes.createArrayType(DataTypes.StringType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String[] labels = i == 4 ? new String[]{"<<ENT>>", "person"} : i == 9 ? new String[]{"person <<SEP>> x"}
                    : new String[]{"person", "city"};
            rows.add(RowFactory.create(i, "Alice in London", labels));
        }
        Dataset<Row> docs = spark.createDataFrame(rows, schema).repartition(3);
        List<Row> out = new GlinerTransformer().setInputCol("text").setLabelsCol("labels").setModel(model)
                .setErrorCol("error").transform(docs).orderBy("id").collectAsList();

        assertEquals(15, out.size());
        for (Row row : out) {
            int id = row.getInt(0);
            if (id == 4 || id == 9) {
                assertTrue(row.isNullAt(3), row.toString());
                String error = row.getString(4);
                assertTrue(error.contains(id == 4 ? "'<<ENT>>'" : "'person <<SEP>> x'"), error);
            } else {
                assertEquals(List.of("Alice|person|0|5", "London|city|9|15"), entities(row), row.toString());
                assertNull(row.getString(4), row.toString());
            }
        }

        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
                () -> transformer().setLabels("<<ENT>>", "person").transform(docs(RowFactory.create(1, "Alice"))));
        assertTrue(shared.getMessage().startsWith("labels: ") && shared.getMessage().contains("'<<ENT>>'"),
                shared.getMessage());
    }

    @Test
    void aBadSharedLabelListFailsTransformBeforeAnyTaskRuns() {
        Dataset<Row> docs = docs(RowFactory.create(1, "Alice in London"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> transformer().setLabels("person", "").transform(docs));
        assertTrue(empty.getMessage().startsWith("labels: ") && empty.getMessage().contains("''"), empty.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> transformer().setLabels("person", "\u4E2D".repeat(600)).setErrorCol("error").transform(docs));
        assertTrue(tooLong.getMessage().contains("no room for text"), tooLong.getMessage());
    }

    @Test
    void labelDescriptionsPromptTheSharedAndPerRowLabelsWhichTheEntitiesKeep() throws Exception {
        // The fixture knows person, location and city; 'who' and 'where' only reach it through their descriptions.
        Map<String, String> descriptions = new java.util.LinkedHashMap<>();
        descriptions.put("who", "person");
        descriptions.put("where", "location");
        Dataset<Row> docs = docs(RowFactory.create(1, "Alice and Bob visited London"));
        GlinerTransformer shared = transformer().setLabels("who", "where").setLabelDescriptions(descriptions);
        assertEquals("{\"who\":\"person\",\"where\":\"location\"}", shared.getOrDefault(shared.labelDescriptions()));
        assertEquals(List.of("Alice|who|0|5", "Bob|who|10|13", "London|where|22|28"),
                entities(shared.transform(docs).first()));
        assertEquals(List.of(), entities(transformer().setLabels("who", "where").transform(docs).first()));

        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType)
                .add("labels", DataTypes.createArrayType(DataTypes.StringType));
        Dataset<Row> perRowDocs = spark.createDataFrame(List.of(
                RowFactory.create(1, "Alice in London", new String[]{"who"}),
                RowFactory.create(2, "Alice in London", new String[]{"where"}),
                RowFactory.create(3, "Alice in London", new String[]{"who", "person"})), schema);
        List<Row> out = new GlinerTransformer().setInputCol("text").setLabelsCol("labels").setModel(model)
                .setLabelDescriptions("{\"who\": \"person\", \"where\": \"location\"}").setErrorCol("error")
                .transform(perRowDocs).orderBy("id").collectAsList();
        assertEquals(List.of("Alice|who|0|5"), entities(out.get(0)));
        assertEquals(List.of("London|where|9|15"), entities(out.get(1)));
        assertTrue(out.get(2).isNullAt(3) && out.get(2).getString(4).contains("both prompted as 'person'"),
                out.get(2).toString());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> transformer().setLabelDescriptions("who=person"));
        assertTrue(bad.getMessage().contains("labelDescriptions") && bad.getMessage().contains("JSON object"),
                bad.getMessage());
        IllegalArgumentException marker = assertThrows(IllegalArgumentException.class, () -> transformer()
                .setLabelDescriptions(Map.of("person", "<<ENT>>")).transform(docs));
        assertTrue(marker.getMessage().startsWith("labels: label 'person' (its description '<<ENT>>')"),
                marker.getMessage());

        String path = TestSpark.tempDir("described").resolve("gliner").toString();
        shared.write().overwrite().save(path);
        assertEquals(entities(shared.transform(docs).first()), entities(GlinerTransformer.load(path).transform(docs)
                .first()));
    }

    @Test
    void labelListsLargerThanOnePromptAndOversizedWordsWork() {
        String[] many = new String[300];
        for (int i = 0; i < many.length; i++) {
            many[i] = "label" + i;
        }
        many[3] = "person";
        many[250] = "location";
        String oversized = "\u4E2D".repeat(8000);
        Dataset<Row> docs = docs(RowFactory.create(1, "Alice in London"),
                RowFactory.create(2, "Bob " + oversized + " London"));
        ExtractionMetrics metrics = ExtractionMetrics.register(spark.sparkContext());
        List<Row> out = transformer().setLabels(many).setMetrics(metrics).transform(docs).orderBy("id").collectAsList();
        assertEquals(List.of("Alice|person|0|5", "London|location|9|15"), entities(out.get(0)));
        assertEquals(List.of("Bob|person|0|3", "London|location|8005|8011"), entities(out.get(1)));
        assertEquals(1, metrics.oversizedWords());
        assertEquals(0, metrics.errorRows());
    }

    @Test
    void longTextsAreChunkedOrFailAsConfigured() {
        String longText = "alice " + "and so on ".repeat(40) + "bob";
        Dataset<Row> docs = docs(RowFactory.create(1, longText));
        String small = TestSpark.fixture("span_small_window");
        Row chunked = transformer().setModel(small).setWindowOverlap(4).transform(docs).first();
        assertEquals(List.of("alice|person", "bob|person"),
                chunked.<Row>getList(2).stream().map(e -> e.getString(0) + "|" + e.getString(1)).toList());

        Row failed = transformer().setModel(small).setLongText("fail").setErrorCol("error").transform(docs).first();
        assertTrue(failed.isNullAt(2));
        assertTrue(!failed.isNullAt(3), "longText=fail gives the row an error");
    }

    @Test
    void pipelineSaveAndLoadKeepsEveryParameter() throws Exception {
        GlinerTransformer stage = transformer().setThreshold(0.4).setLabelThresholds(Map.of("city", 0.9))
                .setFlatNer(false).setRowsPerBlock(7).setErrorCol("error");
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[]{stage}).fit(docs(RowFactory.create(0, "x")));
        String path = TestSpark.tempDir("pipeline").resolve("model").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        GlinerTransformer restored = (GlinerTransformer) loaded.stages()[0];
        assertEquals(stage.uid(), restored.uid());
        assertEquals(0.4, restored.getOrDefault(restored.threshold()));
        assertEquals(Map.of("city", 0.9), restored.getOrDefault(restored.labelThresholds()));
        assertEquals(false, restored.getOrDefault(restored.flatNer()));
        assertEquals(7, restored.getOrDefault(restored.rowsPerBlock()));
        assertArrayEquals(LABELS.toArray(), restored.getOrDefault(restored.labels()));

        Dataset<Row> docs = docs(RowFactory.create(1, "alice in new york"));
        assertEquals(entities(fitted.transform(docs).first()), entities(loaded.transform(docs).first()));
        assertEquals(List.of("alice|person|0|5", "new york|location|9|17", "new|location|9|12", "york|location|13|17"),
                entities(loaded.transform(docs).first()), "nested mode without city (its threshold is 0.9)");

        String single = TestSpark.tempDir("stage").resolve("gliner").toString();
        stage.write().overwrite().save(single);
        GlinerTransformer reloaded = GlinerTransformer.load(single);
        String arrays = "\\[Ljava.lang.String;@\\w+";
        assertEquals(stage.extractParamMap().toString().replaceAll(arrays, "[]"),
                reloaded.extractParamMap().toString().replaceAll(arrays, "[]"));
        assertArrayEquals(LABELS.toArray(), reloaded.getOrDefault(reloaded.labels()));
    }

    @Test
    void taskRetriedAfterAFailureGivesEachRowOnce() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(RowFactory.create(i, "alice and bob " + i));
        }
        Dataset<Row> docs = docs(rows.toArray(Row[]::new)).repartition(2)
                .withColumn("text", callUDF("fail_first_attempt", col("text")));
        List<Row> out = transformer().transform(docs).collectAsList();
        assertEquals(10, out.size());
        assertEquals(10, out.stream().map(r -> r.getInt(0)).distinct().count());
        out.forEach(r -> assertEquals(2, r.getList(2).size()));
    }

    @Test
    void badConfigurationFailsBeforeAnyTaskRuns() {
        Dataset<Row> docs = docs(RowFactory.create(1, "x"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new GlinerTransformer().setInputCol("missing").setLabels("a").transform(docs))
                .getMessage().contains("text column 'missing' not found"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new GlinerTransformer().setInputCol("text").transform(docs))
                .getMessage().contains("set exactly one of labels"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new GlinerTransformer().setInputCol("id").setLabels("a").transform(docs))
                .getMessage().contains("must be string, got int"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> transformer().setOutputCol("text").transform(docs))
                .getMessage().contains("output column 'text' already exists"));
    }

    // ---- helpers ----

    private static GlinerTransformer transformer() {
        return new GlinerTransformer().setInputCol("text").setOutputCol("entities")
                .setLabels(LABELS.toArray(String[]::new)).setModel(model);
    }

    private static Dataset<Row> docs(Row... rows) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
        return spark.createDataFrame(List.of(rows), schema);
    }

    private static List<String> entities(Row row) {
        return entities(row, "entities");
    }

    private static List<String> entities(Row row, String column) {
        List<Row> entities = row.getList(row.fieldIndex(column));
        return entities.stream().map(e -> e.getString(0) + "|" + e.getString(1) + "|" + e.getInt(2) + "|" + e.getInt(3))
                .toList();
    }

    private static String rootMessage(Throwable error) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
