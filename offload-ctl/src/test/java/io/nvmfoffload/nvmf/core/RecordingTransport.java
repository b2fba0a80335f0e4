package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.AdminOpcode;
import io.nvmfoffload.nvme.spec.ConnectData;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.FabricsCommand;
import io.nvmfoffload.nvme.spec.FabricsCommandType;
import io.nvmfoffload.nvme.spec.IdentifyController;
import io.nvmfoffload.nvmf.Port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A transport double for core tests: runs commands synchronously and records completions. */
final class RecordingTransport implements QueueTransport {
    final Arena arena = Arena.ofShared();
    final List<Request> completed = new ArrayList<>();
    final NvmfQueue queue;
    String disconnectReason;
    /** What {@link #connected} answers: 0, or the status a CONNECT fails with (a failed switch to offload). */
    int installStatus;
    private int nextCid = 1;

    RecordingTransport(TargetCore core, Port port) {
        this.queue = core.openQueue(port, this);
    }

    @Override
    public void complete(Request request) {
        request.transition(RequestState.COMPLETING);
        request.transition(RequestState.COMPLETED);
        completed.add(request);
    }

    @Override
    public int connected(NvmfQueue q) {
        return installStatus;
    }

    @Override
    public void disconnect(String reason) {
        disconnectReason = reason;
    }

    @Override
    public String describe() {
        return "recording transport";
    }

    /** A fresh request with a zeroed command and {@code dataBytes} of data buffer. */
    Request newRequest(int dataBytes) {
        Request r = new Request(arena, nextCid);
        r.transition(RequestState.NEW);
        r.sqe().clear().cid(nextCid++);
        r.data(dataBytes == 0 ? MemorySegment.NULL : arena.allocate(dataBytes, 8));
        return r;
    }

    /** Runs a request whose command is filled in; returns it completed (or parked, for an AER). */
    Request run(Request r) {
        r.sqe().psdt(1);  // a fabrics host always says SGL with a contiguous metadata buffer (PSDT 01b)
        return runAsSent(r);
    }

    /** Runs a request with its flags exactly as filled in (PSDT and FUSE included). */
    Request runAsSent(Request r) {
        r.transition(RequestState.NEED_BUFFER);
        r.transition(RequestState.READY_TO_EXECUTE);
        queue.execute(r);
        return r;
    }

    Request connect(int qid, String subnqn, String hostnqn, int cntlid, UUID hostId, int kato) {
        Request r = newRequest(ConnectData.SIZE);
        new FabricsCommand().wrap(r.sqe()).connect(r.sqe().cid(), qid, qid == 0 ? 31 : 127, 0, kato);
        new ConnectData().wrap(r.data(), 0).hostId(hostId).cntlid(cntlid).subnqn(subnqn).hostnqn(hostnqn);
        return run(r);
    }

    Request propertySet(int offset, long value) {
        Request r = newRequest(0);
        new FabricsCommand().wrap(r.sqe()).property(FabricsCommandType.PROPERTY_SET, r.sqe().cid(), offset, 4, value);
        return run(r);
    }

    Request propertyGet(int offset, int size) {
        Request r = newRequest(0);
        new FabricsCommand().wrap(r.sqe()).property(FabricsCommandType.PROPERTY_GET, r.sqe().cid(), offset, size, 0);
        return run(r);
    }

    /** CC.EN=1 with the entry sizes the spec requires for NVM controllers. */
    Request enable() {
        return propertySet(ControllerRegisters.CC, 1 | 6 << ControllerRegisters.CC_IOSQES_SHIFT | 4 << ControllerRegisters.CC_IOCQES_SHIFT);
    }

    /**
     * What Identify Controller tells {@code hostnqn} of {@code subnqn} on {@code port}: a new
     * controller's admin queue is connected, enabled, and asked.
     */
    static IdentifyController identifyController(TargetCore core, Port port, String subnqn, String hostnqn, UUID hostId) {
        RecordingTransport admin = new RecordingTransport(core, port);
        assertEquals(0, admin.connect(0, subnqn, hostnqn, 0xFFFF, hostId, 0).cqe().status(), "admin connect");
        admin.enable();
        Request id = admin.newRequest(IdentifyController.SIZE);
        id.sqe().opcode(AdminOpcode.IDENTIFY).cdw(10, 1);
        assertEquals(0, admin.run(id).cqe().status(), "Identify Controller");
        return new IdentifyController(id.data());
    }
}
