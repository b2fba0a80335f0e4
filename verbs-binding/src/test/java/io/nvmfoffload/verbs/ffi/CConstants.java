package io.nvmfoffload.verbs.ffi;

import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.AsyncEventType;
import io.nvmfoffload.verbs.AtomicCapability;
import io.nvmfoffload.verbs.DeviceCapability;
import io.nvmfoffload.verbs.GidType;
import io.nvmfoffload.verbs.LinkLayer;
import io.nvmfoffload.verbs.Mtu;
import io.nvmfoffload.verbs.NativeEnum;
import io.nvmfoffload.verbs.NodeType;
import io.nvmfoffload.verbs.PortState;
import io.nvmfoffload.verbs.QpState;
import io.nvmfoffload.verbs.QpType;
import io.nvmfoffload.verbs.SendFlag;
import io.nvmfoffload.verbs.IbvTransportType;
import io.nvmfoffload.verbs.WcFlag;
import io.nvmfoffload.verbs.WcOpcode;
import io.nvmfoffload.verbs.WcStatus;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.cm.CmEventType;
import io.nvmfoffload.verbs.cm.PortSpace;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/** Every C constant the binding mirrors in Java, with the value Java uses. */
final class CConstants {
    record Constant(String cName, long value) {}

    private static final List<Class<? extends NativeEnum>> ENUMS = List.of(
            NodeType.class, IbvTransportType.class, AtomicCapability.class, PortState.class, GidType.class,
            LinkLayer.class, Mtu.class, QpType.class, QpState.class, WrOpcode.class, WcOpcode.class,
            WcStatus.class, AsyncEventType.class, Access.class, SendFlag.class, WcFlag.class,
            DeviceCapability.class, CmEventType.class, PortSpace.class);

    private CConstants() {}

    static List<Constant> all() {
        List<Constant> all = new ArrayList<>();
        for (Class<? extends NativeEnum> e : ENUMS) {
            for (NativeEnum constant : e.getEnumConstants()) {
                all.add(new Constant(constant.cName(), constant.value()));
            }
        }
        for (Field f : NativeConstants.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && (f.getType() == int.class || f.getType() == long.class)) {
                try {
                    all.add(new Constant(f.getName(), ((Number) f.get(null)).longValue()));
                } catch (IllegalAccessException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return all;
    }
}
