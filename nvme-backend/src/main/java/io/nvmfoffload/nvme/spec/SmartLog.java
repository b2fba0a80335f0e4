package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * SMART / Health Information log page, 512 bytes (NVMe Base 2.0 figure 207). The 128-bit counters
 * are exposed as their low 64 bits.
 */
public final class SmartLog {
    public static final int SIZE = 512;

    public static final int CRITICAL_WARNING = 0;
    public static final int COMPOSITE_TEMPERATURE = 1;
    public static final int AVAILABLE_SPARE = 3;
    public static final int AVAILABLE_SPARE_THRESHOLD = 4;
    public static final int PERCENTAGE_USED = 5;
    public static final int DATA_UNITS_READ = 32;
    public static final int DATA_UNITS_WRITTEN = 48;
    public static final int HOST_READ_COMMANDS = 64;
    public static final int HOST_WRITE_COMMANDS = 80;
    public static final int CONTROLLER_BUSY_TIME = 96;
    public static final int POWER_CYCLES = 112;
    public static final int POWER_ON_HOURS = 128;
    public static final int UNSAFE_SHUTDOWNS = 144;
    public static final int MEDIA_ERRORS = 160;
    public static final int ERROR_LOG_ENTRIES = 176;

    private MemorySegment seg;
    private long base;

    public SmartLog() {
    }

    public SmartLog(MemorySegment seg) {
        wrap(seg, 0);
    }

    public SmartLog wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public SmartLog clear() {
        seg.asSlice(base, SIZE).fill((byte) 0);
        return this;
    }

    /**
     * Data units as the log reports them: thousands of 512-byte units, rounded up (a value of 1
     * means 1 to 1000 units of 512 bytes).
     */
    public static long dataUnits(long bytes) {
        long units512 = (bytes + 511) / 512;
        return (units512 + 999) / 1000;
    }

    public int criticalWarning() { return Le.u8(seg, base + CRITICAL_WARNING); }
    public SmartLog criticalWarning(int v) { Le.putU8(seg, base + CRITICAL_WARNING, v); return this; }
    /** Composite temperature in kelvins. */
    public int compositeTemperature() { return Le.u16(seg, base + COMPOSITE_TEMPERATURE); }
    public SmartLog compositeTemperature(int kelvin) { Le.putU16(seg, base + COMPOSITE_TEMPERATURE, kelvin); return this; }
    public int availableSpare() { return Le.u8(seg, base + AVAILABLE_SPARE); }
    public SmartLog availableSpare(int percent) { Le.putU8(seg, base + AVAILABLE_SPARE, percent); return this; }
    public int availableSpareThreshold() { return Le.u8(seg, base + AVAILABLE_SPARE_THRESHOLD); }
    public SmartLog availableSpareThreshold(int percent) { Le.putU8(seg, base + AVAILABLE_SPARE_THRESHOLD, percent); return this; }
    public int percentageUsed() { return Le.u8(seg, base + PERCENTAGE_USED); }
    public SmartLog percentageUsed(int percent) { Le.putU8(seg, base + PERCENTAGE_USED, percent); return this; }

    public long dataUnitsRead() { return Le.u64(seg, base + DATA_UNITS_READ); }
    public SmartLog dataUnitsRead(long v) { Le.putU128(seg, base + DATA_UNITS_READ, v); return this; }
    public long dataUnitsWritten() { return Le.u64(seg, base + DATA_UNITS_WRITTEN); }
    public SmartLog dataUnitsWritten(long v) { Le.putU128(seg, base + DATA_UNITS_WRITTEN, v); return this; }
    public long hostReadCommands() { return Le.u64(seg, base + HOST_READ_COMMANDS); }
    public SmartLog hostReadCommands(long v) { Le.putU128(seg, base + HOST_READ_COMMANDS, v); return this; }
    public long hostWriteCommands() { return Le.u64(seg, base + HOST_WRITE_COMMANDS); }
    public SmartLog hostWriteCommands(long v) { Le.putU128(seg, base + HOST_WRITE_COMMANDS, v); return this; }
    /** Controller busy time in minutes. */
    public long controllerBusyTime() { return Le.u64(seg, base + CONTROLLER_BUSY_TIME); }
    public SmartLog controllerBusyTime(long minutes) { Le.putU128(seg, base + CONTROLLER_BUSY_TIME, minutes); return this; }
    public long powerCycles() { return Le.u64(seg, base + POWER_CYCLES); }
    public SmartLog powerCycles(long v) { Le.putU128(seg, base + POWER_CYCLES, v); return this; }
    public long powerOnHours() { return Le.u64(seg, base + POWER_ON_HOURS); }
    public SmartLog powerOnHours(long v) { Le.putU128(seg, base + POWER_ON_HOURS, v); return this; }
    public long unsafeShutdowns() { return Le.u64(seg, base + UNSAFE_SHUTDOWNS); }
    public SmartLog unsafeShutdowns(long v) { Le.putU128(seg, base + UNSAFE_SHUTDOWNS, v); return this; }
    public long mediaErrors() { return Le.u64(seg, base + MEDIA_ERRORS); }
    public SmartLog mediaErrors(long v) { Le.putU128(seg, base + MEDIA_ERRORS, v); return this; }
    public long errorLogEntries() { return Le.u64(seg, base + ERROR_LOG_ENTRIES); }
    public SmartLog errorLogEntries(long v) { Le.putU128(seg, base + ERROR_LOG_ENTRIES, v); return this; }
}
