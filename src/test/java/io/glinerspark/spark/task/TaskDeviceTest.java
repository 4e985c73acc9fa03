package io.glinerspark.spark.task;

import io.glinerspark.DeviceSetting;
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
        assertEquals("cuda:3", TaskDevice.resolve(device("auto"), "3").toString());
        assertEquals("cuda:3", TaskDevice.resolve(device("cuda"), "3").toString());
        assertEquals("cpu", TaskDevice.resolve(device("auto"), null).toString());
        assertEquals("cuda:0", TaskDevice.resolve(device("cuda"), null).toString());
    }

    @Test
    void explicitDevicesWin() {
        assertEquals("cpu", TaskDevice.resolve(device("cpu"), "1").toString());
        assertEquals("cuda:2", TaskDevice.resolve(device("cuda:2"), "1").toString());
    }

    @Test
    void eachDeviceReadsBackFromItsText() {
        for (String text : new String[]{"auto", "cpu", "cuda", "cuda:0", "cuda:7"}) {
            assertEquals(text, device(text).toString());
            assertEquals(device(text), device(text.toUpperCase(java.util.Locale.ROOT)));
        }
        assertEquals(DeviceSetting.cuda(7), device(" cuda:7 "));
    }

    @Test
    void outsideATaskNothingIsAssigned() {
        assertEquals("cpu", TaskDevice.resolve(device("auto")).toString());
    }

    private static DeviceSetting device(String text) {
        return Settings.DEVICE.parse(text, Spelling.PARAM);
    }

    @Test
    void unknownDevicesAreRejectedNamingTheSetting() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Settings.DEVICE.parse("gpu0", Spelling.CONF_KEY));
        assertTrue(error.getMessage().startsWith("spark.gliner.device: "), error.getMessage());
    }
}
