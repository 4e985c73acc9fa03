package io.glinerspark.spark.task;

import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
class TaskDeviceTest {

    @Test
    void autoAndCudaFollowTheGpuSparkAssigned() {
        assertEquals("cuda:3", TaskDevice.resolve("auto", "3"));
        assertEquals("cuda:3", TaskDevice.resolve("cuda", "3"));
        assertEquals("cpu", TaskDevice.resolve("auto", null));
        assertEquals("cuda:0", TaskDevice.resolve("cuda", null));
    }

    @Test
    void explicitDevicesWin() {
        assertEquals("cpu", TaskDevice.resolve("cpu", "1"));
        assertEquals("cuda:2", TaskDevice.resolve("cuda:2", "1"));
    }

    @Test
    void outsideATaskNothingIsAssigned() {
        assertEquals("cpu", TaskDevice.resolve("auto"));
    }

    @Test
    void unknownDevicesAreRejectedNamingTheSetting() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Settings.DEVICE.parse("gpu0", Spelling.CONF_KEY));
        assertTrue(error.getMessage().startsWith("spark.gliner.device: "), error.getMessage());
    }
}
