package io.glinerspark.source;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class LocationTest {

    @Test
    void urisAreRecognisedByTheirScheme() {
        assertEquals("dbfs", Location.parse("dbfs:/Volumes/main/models/gliner").scheme());
        assertEquals("s3a", Location.parse("s3a://bucket/models/x").scheme());
        assertEquals("hf", Location.parse("hf://urchade/gliner_small-v2.1@main").scheme());
        assertEquals("abfss", Location.parse("abfss://c@account.dfs.core.windows.net/x").scheme());
        assertEquals("hdfs", Location.parse("HDFS://namenode:8020/x").scheme());
        assertTrue(Location.parse("gs://bucket").isUri());
        assertFalse(Location.parse("s3a://bucket/x").isLocal());
    }

    @Test
    void pathsHaveNoScheme() {
        for (String path : new String[] {"/data/models/gliner", "models/gliner", "./model", "../model", "model",
                "db.table", "my model:v2/x", "C:\\models", "/data/a:b"}) {
            Location location = Location.parse(path);
            assertNull(location.scheme(), path);
            assertFalse(location.isUri(), path);
            assertTrue(location.isLocal(), path);
        }
    }

    @Test
    void fileUrisAreLocalUrisWithTheirPath() {
        Location uri = Location.parse(" file:/tmp/my%20model ");
        assertTrue(uri.isUri());
        assertTrue(uri.isLocal());
        assertTrue(uri.hasScheme("FILE"));
        assertEquals("file:/tmp/my%20model", uri.text());
        assertEquals(Path.of("/tmp/my model"), uri.localPath());
        assertEquals(Path.of("rel/model"), Location.parse("rel/model").localPath());
        assertThrows(IllegalArgumentException.class, () -> Location.parse("s3a://bucket/x").localPath());
    }
}
