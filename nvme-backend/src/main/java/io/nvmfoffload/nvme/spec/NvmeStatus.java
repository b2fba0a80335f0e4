package io.nvmfoffload.nvme.spec;

import java.util.HashMap;
import java.util.Map;

import static io.nvmfoffload.nvme.spec.StatusCodeType.COMMAND_SPECIFIC;
import static io.nvmfoffload.nvme.spec.StatusCodeType.GENERIC;
import static io.nvmfoffload.nvme.spec.StatusCodeType.MEDIA_AND_DATA_INTEGRITY;
import static io.nvmfoffload.nvme.spec.StatusCodeType.PATH_RELATED;

/**
 * Named status codes (NVMe Base 2.0 section 3.3.3.2, NVM Command Set 1.0, NVMe-oF 1.1).
 *
 * <p>Command-specific codes from 80h up are reused by the NVM command set and by Fabrics commands
 * (80h is Conflicting Attributes for Dataset Management and Incompatible Format for Connect), so
 * {@link #lookup(int)} prefers the NVM meaning and {@link #lookupFabrics(int)} the Fabrics one.
 */
public enum NvmeStatus {
    // Generic Command Status (SCT 0)
    SUCCESS(GENERIC, 0x00, "Successful Completion"),
    INVALID_COMMAND_OPCODE(GENERIC, 0x01, "Invalid Command Opcode"),
    INVALID_FIELD_IN_COMMAND(GENERIC, 0x02, "Invalid Field in Command"),
    COMMAND_ID_CONFLICT(GENERIC, 0x03, "Command ID Conflict"),
    DATA_TRANSFER_ERROR(GENERIC, 0x04, "Data Transfer Error"),
    ABORTED_POWER_LOSS(GENERIC, 0x05, "Commands Aborted due to Power Loss Notification"),
    INTERNAL_ERROR(GENERIC, 0x06, "Internal Error"),
    ABORT_REQUESTED(GENERIC, 0x07, "Command Abort Requested"),
    ABORTED_SQ_DELETION(GENERIC, 0x08, "Command Aborted due to SQ Deletion"),
    ABORTED_FAILED_FUSED(GENERIC, 0x09, "Command Aborted due to Failed Fused Command"),
    ABORTED_MISSING_FUSED(GENERIC, 0x0A, "Command Aborted due to Missing Fused Command"),
    INVALID_NAMESPACE_OR_FORMAT(GENERIC, 0x0B, "Invalid Namespace or Format"),
    COMMAND_SEQUENCE_ERROR(GENERIC, 0x0C, "Command Sequence Error"),
    INVALID_SGL_SEGMENT_DESCRIPTOR(GENERIC, 0x0D, "Invalid SGL Segment Descriptor"),
    INVALID_SGL_DESCRIPTOR_COUNT(GENERIC, 0x0E, "Invalid Number of SGL Descriptors"),
    DATA_SGL_LENGTH_INVALID(GENERIC, 0x0F, "Data SGL Length Invalid"),
    METADATA_SGL_LENGTH_INVALID(GENERIC, 0x10, "Metadata SGL Length Invalid"),
    SGL_DESCRIPTOR_TYPE_INVALID(GENERIC, 0x11, "SGL Descriptor Type Invalid"),
    INVALID_USE_OF_CMB(GENERIC, 0x12, "Invalid Use of Controller Memory Buffer"),
    INVALID_PRP_OFFSET(GENERIC, 0x13, "PRP Offset Invalid"),
    ATOMIC_WRITE_UNIT_EXCEEDED(GENERIC, 0x14, "Atomic Write Unit Exceeded"),
    OPERATION_DENIED(GENERIC, 0x15, "Operation Denied"),
    SGL_OFFSET_INVALID(GENERIC, 0x16, "SGL Offset Invalid"),
    HOST_ID_INCONSISTENT_FORMAT(GENERIC, 0x18, "Host Identifier Inconsistent Format"),
    KEEP_ALIVE_TIMER_EXPIRED(GENERIC, 0x19, "Keep Alive Timer Expired"),
    KEEP_ALIVE_TIMEOUT_INVALID(GENERIC, 0x1A, "Keep Alive Timeout Invalid"),
    ABORTED_PREEMPT_AND_ABORT(GENERIC, 0x1B, "Command Aborted due to Preempt and Abort"),
    SANITIZE_FAILED(GENERIC, 0x1C, "Sanitize Failed"),
    SANITIZE_IN_PROGRESS(GENERIC, 0x1D, "Sanitize In Progress"),
    SGL_DATA_BLOCK_GRANULARITY_INVALID(GENERIC, 0x1E, "SGL Data Block Granularity Invalid"),
    COMMAND_NOT_SUPPORTED_FOR_QUEUE_IN_CMB(GENERIC, 0x1F, "Command Not Supported for Queue in CMB"),
    NAMESPACE_WRITE_PROTECTED(GENERIC, 0x20, "Namespace is Write Protected"),
    COMMAND_INTERRUPTED(GENERIC, 0x21, "Command Interrupted"),
    TRANSIENT_TRANSPORT_ERROR(GENERIC, 0x22, "Transient Transport Error"),
    COMMAND_PROHIBITED_BY_LOCKDOWN(GENERIC, 0x23, "Command Prohibited by Command and Feature Lockdown"),
    ADMIN_COMMAND_MEDIA_NOT_READY(GENERIC, 0x24, "Admin Command Media Not Ready"),
    LBA_OUT_OF_RANGE(GENERIC, 0x80, "LBA Out of Range"),
    CAPACITY_EXCEEDED(GENERIC, 0x81, "Capacity Exceeded"),
    NAMESPACE_NOT_READY(GENERIC, 0x82, "Namespace Not Ready"),
    RESERVATION_CONFLICT(GENERIC, 0x83, "Reservation Conflict"),
    FORMAT_IN_PROGRESS(GENERIC, 0x84, "Format In Progress"),

    // Command Specific Status (SCT 1), admin commands
    COMPLETION_QUEUE_INVALID(COMMAND_SPECIFIC, 0x00, "Completion Queue Invalid"),
    INVALID_QUEUE_IDENTIFIER(COMMAND_SPECIFIC, 0x01, "Invalid Queue Identifier"),
    INVALID_QUEUE_SIZE(COMMAND_SPECIFIC, 0x02, "Invalid Queue Size"),
    ABORT_COMMAND_LIMIT_EXCEEDED(COMMAND_SPECIFIC, 0x03, "Abort Command Limit Exceeded"),
    ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED(COMMAND_SPECIFIC, 0x05, "Asynchronous Event Request Limit Exceeded"),
    INVALID_FIRMWARE_SLOT(COMMAND_SPECIFIC, 0x06, "Invalid Firmware Slot"),
    INVALID_FIRMWARE_IMAGE(COMMAND_SPECIFIC, 0x07, "Invalid Firmware Image"),
    INVALID_INTERRUPT_VECTOR(COMMAND_SPECIFIC, 0x08, "Invalid Interrupt Vector"),
    INVALID_LOG_PAGE(COMMAND_SPECIFIC, 0x09, "Invalid Log Page"),
    INVALID_FORMAT(COMMAND_SPECIFIC, 0x0A, "Invalid Format"),
    FIRMWARE_ACTIVATION_REQUIRES_CONVENTIONAL_RESET(COMMAND_SPECIFIC, 0x0B,
            "Firmware Activation Requires Conventional Reset"),
    INVALID_QUEUE_DELETION(COMMAND_SPECIFIC, 0x0C, "Invalid Queue Deletion"),
    FEATURE_IDENTIFIER_NOT_SAVEABLE(COMMAND_SPECIFIC, 0x0D, "Feature Identifier Not Saveable"),
    FEATURE_NOT_CHANGEABLE(COMMAND_SPECIFIC, 0x0E, "Feature Not Changeable"),
    FEATURE_NOT_NAMESPACE_SPECIFIC(COMMAND_SPECIFIC, 0x0F, "Feature Not Namespace Specific"),
    FIRMWARE_ACTIVATION_REQUIRES_NVM_SUBSYSTEM_RESET(COMMAND_SPECIFIC, 0x10,
            "Firmware Activation Requires NVM Subsystem Reset"),
    FIRMWARE_ACTIVATION_REQUIRES_CONTROLLER_RESET(COMMAND_SPECIFIC, 0x11,
            "Firmware Activation Requires Controller Level Reset"),
    FIRMWARE_ACTIVATION_REQUIRES_MAX_TIME_VIOLATION(COMMAND_SPECIFIC, 0x12,
            "Firmware Activation Requires Maximum Time Violation"),
    FIRMWARE_ACTIVATION_PROHIBITED(COMMAND_SPECIFIC, 0x13, "Firmware Activation Prohibited"),
    OVERLAPPING_RANGE(COMMAND_SPECIFIC, 0x14, "Overlapping Range"),
    NAMESPACE_INSUFFICIENT_CAPACITY(COMMAND_SPECIFIC, 0x15, "Namespace Insufficient Capacity"),
    NAMESPACE_IDENTIFIER_UNAVAILABLE(COMMAND_SPECIFIC, 0x16, "Namespace Identifier Unavailable"),
    NAMESPACE_ALREADY_ATTACHED(COMMAND_SPECIFIC, 0x18, "Namespace Already Attached"),
    NAMESPACE_IS_PRIVATE(COMMAND_SPECIFIC, 0x19, "Namespace Is Private"),
    NAMESPACE_NOT_ATTACHED(COMMAND_SPECIFIC, 0x1A, "Namespace Not Attached"),
    THIN_PROVISIONING_NOT_SUPPORTED(COMMAND_SPECIFIC, 0x1B, "Thin Provisioning Not Supported"),
    CONTROLLER_LIST_INVALID(COMMAND_SPECIFIC, 0x1C, "Controller List Invalid"),

    // Command Specific Status (SCT 1), NVM command set I/O commands
    CONFLICTING_ATTRIBUTES(COMMAND_SPECIFIC, 0x80, "Conflicting Attributes"),
    INVALID_PROTECTION_INFORMATION(COMMAND_SPECIFIC, 0x81, "Invalid Protection Information"),
    ATTEMPTED_WRITE_TO_READ_ONLY_RANGE(COMMAND_SPECIFIC, 0x82, "Attempted Write to Read Only Range"),
    COMMAND_SIZE_LIMIT_EXCEEDED(COMMAND_SPECIFIC, 0x83, "Command Size Limit Exceeded"),

    // Command Specific Status (SCT 1), Fabrics commands (NVMe-oF 1.1 section 3.3)
    CONNECT_INCOMPATIBLE_FORMAT(COMMAND_SPECIFIC, 0x80, "Connect Incompatible Format", true),
    CONNECT_CONTROLLER_BUSY(COMMAND_SPECIFIC, 0x81, "Connect Controller Busy", true),
    CONNECT_INVALID_PARAMETERS(COMMAND_SPECIFIC, 0x82, "Connect Invalid Parameters", true),
    CONNECT_RESTART_DISCOVERY(COMMAND_SPECIFIC, 0x83, "Connect Restart Discovery", true),
    CONNECT_INVALID_HOST(COMMAND_SPECIFIC, 0x84, "Connect Invalid Host", true),
    INVALID_QUEUE_TYPE(COMMAND_SPECIFIC, 0x85, "Invalid Queue Type", true),
    DISCOVERY_RESTART(COMMAND_SPECIFIC, 0x90, "Discovery Restart", true),
    AUTHENTICATION_REQUIRED(COMMAND_SPECIFIC, 0x91, "Authentication Required", true),

    // Media and Data Integrity Errors (SCT 2)
    WRITE_FAULT(MEDIA_AND_DATA_INTEGRITY, 0x80, "Write Fault"),
    UNRECOVERED_READ_ERROR(MEDIA_AND_DATA_INTEGRITY, 0x81, "Unrecovered Read Error"),
    END_TO_END_GUARD_CHECK_ERROR(MEDIA_AND_DATA_INTEGRITY, 0x82, "End-to-end Guard Check Error"),
    END_TO_END_APPLICATION_TAG_CHECK_ERROR(MEDIA_AND_DATA_INTEGRITY, 0x83, "End-to-end Application Tag Check Error"),
    END_TO_END_REFERENCE_TAG_CHECK_ERROR(MEDIA_AND_DATA_INTEGRITY, 0x84, "End-to-end Reference Tag Check Error"),
    COMPARE_FAILURE(MEDIA_AND_DATA_INTEGRITY, 0x85, "Compare Failure"),
    ACCESS_DENIED(MEDIA_AND_DATA_INTEGRITY, 0x86, "Access Denied"),
    DEALLOCATED_OR_UNWRITTEN_LOGICAL_BLOCK(MEDIA_AND_DATA_INTEGRITY, 0x87, "Deallocated or Unwritten Logical Block"),
    END_TO_END_STORAGE_TAG_CHECK_ERROR(MEDIA_AND_DATA_INTEGRITY, 0x88, "End-to-End Storage Tag Check Error"),

    // Path Related Status (SCT 3)
    INTERNAL_PATH_ERROR(PATH_RELATED, 0x00, "Internal Path Error"),
    ASYMMETRIC_ACCESS_PERSISTENT_LOSS(PATH_RELATED, 0x01, "Asymmetric Access Persistent Loss"),
    ASYMMETRIC_ACCESS_INACCESSIBLE(PATH_RELATED, 0x02, "Asymmetric Access Inaccessible"),
    ASYMMETRIC_ACCESS_TRANSITION(PATH_RELATED, 0x03, "Asymmetric Access Transition"),
    CONTROLLER_PATHING_ERROR(PATH_RELATED, 0x60, "Controller Pathing Error"),
    HOST_PATHING_ERROR(PATH_RELATED, 0x70, "Host Pathing Error"),
    COMMAND_ABORTED_BY_HOST(PATH_RELATED, 0x71, "Command Aborted By Host");

    private static final Map<Integer, NvmeStatus> BY_CODE = new HashMap<>();
    private static final Map<Integer, NvmeStatus> BY_CODE_FABRICS = new HashMap<>();

    static {
        for (NvmeStatus s : values()) {
            if (!s.fabrics) {
                BY_CODE.putIfAbsent(s.code, s);
            }
            BY_CODE_FABRICS.put(s.code, s);
        }
        for (NvmeStatus s : values()) {
            if (s.fabrics) {
                BY_CODE_FABRICS.put(s.code, s);
            }
        }
    }

    private final StatusCodeType type;
    private final int sc;
    private final int code;
    private final String description;
    private final boolean fabrics;

    NvmeStatus(StatusCodeType type, int sc, String description) {
        this(type, sc, description, false);
    }

    NvmeStatus(StatusCodeType type, int sc, String description, boolean fabrics) {
        this.type = type;
        this.sc = sc;
        this.code = type.value() << StatusField.SCT_SHIFT | sc;
        this.description = description;
        this.fabrics = fabrics;
    }

    public StatusCodeType type() {
        return type;
    }

    public int sct() {
        return type.value();
    }

    public int sc() {
        return sc;
    }

    /** SCT and SC as a 15-bit status value with More and DNR clear. */
    public int code() {
        return code;
    }

    /** The 15-bit status value with DNR as given; what a controller posts in a CQE. */
    public int field(boolean dnr) {
        return dnr ? code | StatusField.DNR : code;
    }

    public String description() {
        return description;
    }

    /** Whether this is a Fabrics command status (its code may also name an NVM status). */
    public boolean isFabrics() {
        return fabrics;
    }

    public boolean isSuccess() {
        return this == SUCCESS;
    }

    /** The named status for a 15-bit status value (More, DNR, CRD ignored), or null if unnamed here. */
    public static NvmeStatus lookup(int status) {
        return BY_CODE.get(StatusField.code(status));
    }

    /** As {@link #lookup(int)}, but reading command-specific codes as Fabrics (Connect) statuses. */
    public static NvmeStatus lookupFabrics(int status) {
        return BY_CODE_FABRICS.get(StatusField.code(status));
    }

    @Override
    public String toString() {
        return String.format("%s (SCT %Xh SC %02Xh)", description, type.value(), sc);
    }
}
