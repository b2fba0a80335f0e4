package io.nvmfoffload.softroce.bed;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestBedSelectorTest {
    @Test
    void unknownBedNameIsRefusedWithTheChoices() {
        TestBedSelector.Choice choice = TestBedSelector.choose(Path.of("/nonexistent"), "vmware");
        assertFalse(choice.found());
        assertTrue(choice.explain().contains("use auto, host, qemu or container"), choice.explain());
    }
}
