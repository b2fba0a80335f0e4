package io.nvmfoffload.nvmf.core;

/** Sees every state change of every request; for debugging a transport (off by default). */
@FunctionalInterface
public interface RequestTracer {
    RequestTracer NONE = (request, from, to) -> { };

    void transition(Request request, RequestState from, RequestState to);

    /** A tracer that logs each transition through System.Logger at DEBUG ("io.nvmfoffload.request"). */
    static RequestTracer logging() {
        System.Logger log = System.getLogger("io.nvmfoffload.request");
        return (request, from, to) -> log.log(System.Logger.Level.DEBUG, "{0}: {1} -> {2}", request, from, to);
    }
}
