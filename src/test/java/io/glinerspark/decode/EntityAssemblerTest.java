package io.glinerspark.decode;

import io.glinerspark.text.Word;
import io.glinerspark.text.WordSplitter;
import io.glinerspark.types.Entity;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("core")
class EntityAssemblerTest {

    @Test
    void codePointOffsetsAndTextAcrossSupplementaryCharacters() {
        String text = "\uD83D\uDE00 James Bond met \uD835\uDC00lice.";
        List<Word> words = WordSplitter.split(text);
        List<Entity> entities = EntityAssembler.assemble(text, words,
                List.of(new SpanCandidate(1, 2, 0, 0.9f), new SpanCandidate(4, 4, 0, 0.8f)),
                List.of("person"));
        assertEquals(new Entity("James Bond", "person", 2, 12, 0.9f, 1, 2), entities.get(0));
        assertEquals(new Entity("\uD835\uDC00lice", "person", 17, 22, 0.8f, 4, 4), entities.get(1));
    }
}
