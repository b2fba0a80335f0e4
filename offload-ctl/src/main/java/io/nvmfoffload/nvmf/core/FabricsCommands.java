package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.ConnectData;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.FabricsCommand;
import io.nvmfoffload.nvme.spec.FabricsCommandType;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;
import io.nvmfoffload.nvmf.Nqn;
import io.nvmfoffload.nvmf.Subsystem;

import java.util.UUID;

/**
 * Fabrics commands (opcode 0x7F): Connect, Property Get/Set, Disconnect. Connect failures carry
 * the spec's status and, for invalid parameters, which field was wrong (IATTR/IPO in dword 0), as
 * nvmet's fabrics-cmd.c does.
 */
final class FabricsCommands {
    private static final int CONNECT_DATA_CNTLID = ConnectData.CNTLID;
    private static final int CONNECT_DATA_SUBNQN = ConnectData.SUBNQN;
    private static final int CONNECT_DATA_HOSTNQN = ConnectData.HOSTNQN;

    private final TargetCore core;

    FabricsCommands(TargetCore core) {
        this.core = core;
    }

    void execute(Request request) {
        NvmfQueue queue = request.queue();
        FabricsCommand cmd = new FabricsCommand().wrap(request.sqe());
        int fctype = cmd.fctype();
        if (fctype == FabricsCommandType.CONNECT) {
            connect(request, queue, cmd);
            return;
        }
        Controller ctrl = queue.controller();
        if (ctrl == null) {
            throw new NvmeStatusException(NvmeStatus.COMMAND_SEQUENCE_ERROR,
                    FabricsCommandType.name(fctype) + " before the queue's CONNECT");
        }
        ctrl.touch();
        boolean admin = queue.qid() == 0;
        switch (fctype) {
            // Property Get/Set belong to the admin queue; nvmet answers Invalid Opcode on an I/O queue
            case FabricsCommandType.PROPERTY_GET, FabricsCommandType.PROPERTY_SET -> {
                if (!admin) {
                    throw new NvmeStatusException(NvmeStatus.INVALID_COMMAND_OPCODE,
                            FabricsCommandType.name(fctype) + " on I/O queue " + queue.qid() + ": an admin queue command");
                }
                if (fctype == FabricsCommandType.PROPERTY_GET) {
                    propertyGet(request, queue, ctrl, cmd);
                } else {
                    propertySet(request, queue, ctrl, cmd);
                }
            }
            // Disconnect deletes the I/O queue it arrives on; on the admin queue it is Invalid Queue Type
            case FabricsCommandType.DISCONNECT -> {
                if (admin) {
                    throw new NvmeStatusException(NvmeStatus.INVALID_QUEUE_TYPE, "Disconnect on the admin queue");
                }
                queue.finish(request, 0, 0);
                queue.transport().disconnect("the host sent a Fabrics Disconnect for queue " + queue.qid());
            }
            default -> throw new NvmeStatusException(NvmeStatus.INVALID_COMMAND_OPCODE,
                    "Fabrics command type 0x" + Integer.toHexString(fctype) + " is not supported");
        }
    }

    private void connect(Request request, NvmfQueue queue, FabricsCommand cmd) {
        if (queue.qid() >= 0) {
            throw new NvmeStatusException(NvmeStatus.COMMAND_SEQUENCE_ERROR, "CONNECT on queue " + queue.qid() + ", which is connected");
        }
        if (request.dataLength() != ConnectData.SIZE) {
            throw new NvmeStatusException(NvmeStatus.DATA_SGL_LENGTH_INVALID,
                    "CONNECT carries " + request.dataLength() + " bytes of data, not " + ConnectData.SIZE);
        }
        if (cmd.recfmt() != 0) {
            queue.finish(request, NvmeStatus.CONNECT_INCOMPATIBLE_FORMAT.field(true), 0);
            return;
        }
        ConnectData data = new ConnectData().wrap(request.data(), 0);
        String subnqn = data.subnqn();
        String hostnqn = data.hostnqn();
        int qid = cmd.qid();
        int entries = cmd.sqsize() + 1;

        boolean discovery = Nqn.DISCOVERY.equals(subnqn);
        Subsystem subsystem = discovery ? null : core.target().findSubsystem(subnqn).orElse(null);
        if (!discovery && (subsystem == null || !core.target().isExposed(queue.port().id(), subnqn))) {
            invalidParameter(request, queue, true, CONNECT_DATA_SUBNQN);
            return;
        }
        if (hostnqn.isEmpty()) {
            invalidParameter(request, queue, true, CONNECT_DATA_HOSTNQN);
            return;
        }
        if (!discovery && !subsystem.admits(hostnqn)) {
            queue.finish(request, NvmeStatus.CONNECT_INVALID_HOST.field(true), 0);
            return;
        }
        if (qid == 0) {
            // dynamic controller model: the admin Connect asks for any controller (FFFFh), as nvmet requires
            if (data.cntlid() != 0xFFFF) {
                invalidParameter(request, queue, true, CONNECT_DATA_CNTLID);
                return;
            }
            if (entries < 2 || entries > Controller.ADMIN_QUEUE_ENTRIES) {
                invalidParameter(request, queue, false, FabricsCommand.SQSIZE);
                return;
            }
            Controller ctrl = core.createController(subsystem, hostnqn, data.hostId(), queue.port(), cmd.kato(),
                    queue.transport().describe());
            if (ctrl == null) {
                queue.finish(request, NvmeStatus.CONNECT_CONTROLLER_BUSY.field(true), 0);
                return;
            }
            if (ctrl.attachQueue(queue, 0, entries, sqFlowControlDisabled(cmd)) != Controller.Attach.ATTACHED) {
                // deleted before its admin queue was in: its subsystem went meanwhile
                invalidParameter(request, queue, true, CONNECT_DATA_SUBNQN);
                return;
            }
            queue.transport().connected(queue);  // an admin queue is never switched: nothing can fail here
            queue.finish(request, 0, FabricsCommand.connectSuccessResult(ctrl.cntlid()));
            return;
        }
        if (discovery) {
            invalidParameter(request, queue, false, FabricsCommand.QID);
            return;
        }
        Controller ctrl = core.findController(subnqn, data.cntlid());
        if (ctrl == null || !ctrl.hostNqn().equals(hostnqn) || !sameHostId(ctrl.hostId(), data.hostId())) {
            invalidParameter(request, queue, true, CONNECT_DATA_CNTLID);
            return;
        }
        if (!ctrl.ready()) {
            queue.finish(request, NvmeStatus.COMMAND_SEQUENCE_ERROR.field(true), 0);
            return;
        }
        if (qid > ctrl.grantedIoQueues()) {
            invalidParameter(request, queue, false, FabricsCommand.QID);
            return;
        }
        if (entries < 2 || entries > Controller.MAX_QUEUE_ENTRIES) {
            invalidParameter(request, queue, false, FabricsCommand.SQSIZE);
            return;
        }
        switch (ctrl.attachQueue(queue, qid, entries, sqFlowControlDisabled(cmd))) {
            case QID_IN_USE -> {
                invalidParameter(request, queue, false, FabricsCommand.QID);
                return;
            }
            case CONTROLLER_DELETED -> {
                invalidParameter(request, queue, true, CONNECT_DATA_CNTLID);
                return;
            }
            case ATTACHED -> { }
        }
        int installed = queue.transport().connected(queue);
        // switching a queue to offload can take a while: its host is alive meanwhile
        ctrl.touch();
        if (installed != 0) {
            // as nvmet when install_queue fails: the CONNECT fails and the queue is not the controller's
            ctrl.detachQueue(queue);
            queue.finish(request, installed, 0);
            return;
        }
        queue.finish(request, 0, FabricsCommand.connectSuccessResult(ctrl.cntlid()));
    }

    /** Every queue may disable SQ flow control; discovery entries say so (TREQ), as nvmet's do. */
    private static boolean sqFlowControlDisabled(FabricsCommand cmd) {
        return (cmd.cattr() & FabricsCommand.CATTR_DISABLE_SQ_FLOW_CONTROL) != 0;
    }

    private static boolean sameHostId(UUID a, UUID b) {
        return a == null ? b == null : a.equals(b);
    }

    private static void invalidParameter(Request request, NvmfQueue queue, boolean inConnectData, int offset) {
        queue.finish(request, NvmeStatus.CONNECT_INVALID_PARAMETERS.field(true),
                FabricsCommand.connectInvalidParametersResult(inConnectData, offset));
    }

    private static void propertyGet(Request request, NvmfQueue queue, Controller ctrl, FabricsCommand cmd) {
        long value;
        int size = cmd.propertySize();
        switch (cmd.propertyOffset()) {
            case ControllerRegisters.CAP -> value = ctrl.cap();
            case ControllerRegisters.VS -> value = Controller.VERSION_1_3;
            case ControllerRegisters.CC -> value = ctrl.cc();
            case ControllerRegisters.CSTS -> value = ctrl.csts();
            default -> throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                    "Property Get of unknown property offset 0x" + Integer.toHexString(cmd.propertyOffset()));
        }
        if (size == 4 && cmd.propertyOffset() == ControllerRegisters.CAP) {
            throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND, "Property Get of CAP with a 4-byte size");
        }
        if (size == 8 && cmd.propertyOffset() != ControllerRegisters.CAP) {
            throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                    "Property Get of 8 bytes at 0x" + Integer.toHexString(cmd.propertyOffset()) + ", a 4-byte property");
        }
        queue.finish(request, 0, size == 8 ? value : value & 0xFFFF_FFFFL);
    }

    private static void propertySet(Request request, NvmfQueue queue, Controller ctrl, FabricsCommand cmd) {
        if (cmd.propertyOffset() != ControllerRegisters.CC || cmd.propertySize() != 4) {
            throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                    "Property Set of offset 0x" + Integer.toHexString(cmd.propertyOffset()) + ": only CC is writable");
        }
        ctrl.writeCc((int) cmd.propertyValue());
        queue.finish(request, 0, 0);
    }
}
