package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SmartLog;
import io.nvmfoffload.nvme.spec.StatusCodeType;
import io.nvmfoffload.nvme.spec.StatusField;

/** SMART / Health counters, updated on the device thread only, so plain fields suffice. */
final class HealthCounters {
    private final long startNanos = System.nanoTime();
    long hostReadCommands;
    long hostWriteCommands;
    long bytesRead;
    long bytesWritten;
    long mediaErrors;

    void countError(int status) {
        if (StatusField.sct(status) == StatusCodeType.MEDIA_AND_DATA_INTEGRITY.value()) {
            mediaErrors++;
        }
    }

    void write(SmartLog log, long errorLogEntries) {
        long hours = (System.nanoTime() - startNanos) / 3_600_000_000_000L;
        log.clear()
                .compositeTemperature(313)
                .availableSpare(100)
                .availableSpareThreshold(10)
                .percentageUsed(0)
                .dataUnitsRead(SmartLog.dataUnits(bytesRead))
                .dataUnitsWritten(SmartLog.dataUnits(bytesWritten))
                .hostReadCommands(hostReadCommands)
                .hostWriteCommands(hostWriteCommands)
                .powerCycles(1)
                .powerOnHours(hours)
                .mediaErrors(mediaErrors)
                .errorLogEntries(errorLogEntries);
    }

    static boolean isSuccess(int status) {
        return StatusField.code(status) == NvmeStatus.SUCCESS.code();
    }
}
