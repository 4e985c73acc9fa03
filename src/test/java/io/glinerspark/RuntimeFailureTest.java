package io.glinerspark;

import io.glinerspark.runtime.Device;
import io.glinerspark.runtime.InferenceSession;
import io.glinerspark.runtime.SessionCache;
import io.glinerspark.runtime.SessionSpec;
import io.glinerspark.types.InferenceException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A runtime that fails is nobody's text's fault: the call fails, no text gets the error as its result. */
@Tag("core")
class RuntimeFailureTest {

    @Test
    void aClosedSessionFailsTheCallInsteadOfFailingEachText() {
        // options no other test uses, so that this session is this test's alone
        ModelOptions options = Fixtures.options("span").withIntraOpThreads(7);
        GlinerModel model = GlinerModel.load(options);
        List<String> texts = List.of("alice", "bob in london");
        assertEquals(2, model.extract(texts, List.of("person"), ExtractionOptions.defaults()).size());

        // the session closes under the model, as when the runtime breaks: the real ONNX Runtime session refuses to run
        SessionSpec spec = new SessionSpec(Fixtures.bundle("span").resolve("model.onnx"), Device.CPU, false, 7);
        InferenceSession session = SessionCache.acquire(spec);
        SessionCache.release(session);
        SessionCache.release(session);

        ExtractionStats stats = new ExtractionStats();
        InferenceException failure = assertThrows(InferenceException.class,
                () -> model.extractEach(texts, List.of("person"), ExtractionOptions.defaults(), stats));
        assertTrue(failure.getMessage().contains("the model failed on a batch"), failure.getMessage());
        assertEquals(0, stats.failedDocuments());
        // the model's own reference went with the session
        assertThrows(IllegalStateException.class, model::close);
    }
}
