package io.glinerspark.spark.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;
import scala.Function1;

import java.util.LinkedHashMap;
import java.util.Map;

/** A {@code label -> threshold} map parameter, saved as a JSON object with the pipeline. */
public final class LabelThresholdsParam extends Param<Map<String, Double>> {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A parameter whose values {@code isValid} checks (it may throw, naming the parameter). */
    public LabelThresholdsParam(Identifiable parent, String name, String doc,
                                Function1<Map<String, Double>, Object> isValid) {
        super(parent, name, doc, isValid);
    }

    @Override
    public String jsonEncode(Map<String, Double> value) {
        return json(value);
    }

    /** Thresholds as a JSON object, each number written as its shortest decimal (0.99f as 0.99). */
    static String json(Map<String, ? extends Number> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode thresholds " + value, e);
        }
    }

    @Override
    public Map<String, Double> jsonDecode(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Double>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot decode " + name() + " from " + json, e);
        }
    }
}
