package io.nvmfoffload.softroce.guest;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.process.Commands;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

@InBed
class RxeDeviceTest {
    @Test
    void rxe0PortIsActive() {
        String info = Commands.run(Duration.ofSeconds(60), "ibv_devinfo", "-d", Rxe.DEVICE).orThrow().stdout();
        assertTrue(info.contains("PORT_ACTIVE"), "ibv_devinfo -d rxe0 should show PORT_ACTIVE:\n" + info);
    }
}
