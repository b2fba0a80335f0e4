package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvme.store.NamespaceIdentity;

import java.util.HexFormat;
import java.util.UUID;

/**
 * The identifiers a namespace reports (lower-case hex, canonical UUID text); each may be null when
 * the document leaves it to the store.
 */
public record NamespaceIds(String uuid, String nguid, String eui64) {
    private static final HexFormat HEX = HexFormat.of();
    public static final NamespaceIds UNSET = new NamespaceIds(null, null, null);

    public boolean isUnset() {
        return uuid == null && nguid == null && eui64 == null;
    }

    public static NamespaceIds of(NamespaceIdentity id) {
        return new NamespaceIds(id.uuid().toString(), HEX.formatHex(id.nguid()), HEX.formatHex(id.eui64()));
    }

    boolean satisfiedBy(NamespaceIds running) {
        return (uuid == null || uuid.equals(running.uuid)) && (nguid == null || nguid.equals(running.nguid))
                && (eui64 == null || eui64.equals(running.eui64));
    }

    /** {@code base} with the parts this record sets replacing its own. */
    public NamespaceIdentity over(NamespaceIdentity base) {
        return new NamespaceIdentity(nguid == null ? base.nguid() : HEX.parseHex(nguid),
                uuid == null ? base.uuid() : UUID.fromString(uuid),
                eui64 == null ? base.eui64() : HEX.parseHex(eui64));
    }

}
