package io.nvmfoffload.nvmf;

/** Told of configuration changes that connected hosts must hear about (as AENs). */
public interface TargetListener {
    /** A namespace was added to or removed from {@code subsystem}, or changed capacity. */
    default void namespaceChanged(Subsystem subsystem, int nsid) { }

    /** The discovery log changed (subsystems, ports, links or hosts); {@code generation} is new. */
    default void discoveryChanged(long generation) { }

    /** {@code subsystem} is going away: its controllers must be torn down. */
    default void subsystemRemoved(Subsystem subsystem) { }
}
