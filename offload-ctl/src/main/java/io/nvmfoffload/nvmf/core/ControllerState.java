package io.nvmfoffload.nvmf.core;

/**
 * A controller's lifecycle. Fabrics controllers are born at the admin queue's CONNECT and die with
 * the admin queue, a keep-alive expiry, or the removal of their subsystem.
 *
 * <pre>
 * CONNECTED --CC.EN=1--> ENABLED --CC.SHN--> SHUT_DOWN
 *     ^                     |  \--CC.EN=0--> CONNECTED (reset)
 *     any state --admin queue gone / KATO expiry / fatal--> DELETED
 * </pre>
 */
public enum ControllerState {
    CONNECTED, ENABLED, SHUT_DOWN, DELETED
}
