package io.nvmfoffload.nvme.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;
import java.util.UUID;

/**
 * The identifiers a host uses to recognise a namespace across reconnects and reboots: NGUID (16
 * bytes), UUID and EUI-64 (8 bytes). Hosts (multipath, udev) key on these, so they must not
 * change when the target restarts; they come either from a persisted sidecar file or from a
 * stable name.
 */
public final class NamespaceIdentity {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] nguid;
    private final UUID uuid;
    private final byte[] eui64;

    public NamespaceIdentity(byte[] nguid, UUID uuid, byte[] eui64) {
        if (nguid.length != 16 || eui64.length != 8) {
            throw new IllegalArgumentException("NGUID must be 16 bytes and EUI-64 8 bytes, got " + nguid.length + " and " + eui64.length);
        }
        this.nguid = nguid.clone();
        this.uuid = uuid;
        this.eui64 = eui64.clone();
    }

    public byte[] nguid() {
        return nguid.clone();
    }

    public UUID uuid() {
        return uuid;
    }

    public byte[] eui64() {
        return eui64.clone();
    }

    /** Derives an identity from a name (RAM stores, block devices without a sidecar): same name, same identity. */
    public static NamespaceIdentity fromName(String name) {
        byte[] h = sha256("nvmf-offload namespace identity\0" + name);
        return fromBytes(h);
    }

    private static NamespaceIdentity fromBytes(byte[] h) {
        byte[] nguid = Arrays.copyOfRange(h, 0, 16);
        byte[] u = Arrays.copyOfRange(h, 16, 32);
        // RFC 4122 version 4 / variant 1 bits, so tools parse it as a well-formed random UUID.
        u[6] = (byte) (u[6] & 0x0F | 0x40);
        u[8] = (byte) (u[8] & 0x3F | 0x80);
        ByteBuffer ub = ByteBuffer.wrap(u);
        UUID uuid = new UUID(ub.getLong(), ub.getLong());
        byte[] eui = Arrays.copyOfRange(h, 8, 16);
        // Locally administered, unicast: we own no IEEE OUI, and must not collide with one.
        eui[0] = (byte) (eui[0] & 0xFC | 0x02);
        return new NamespaceIdentity(nguid, uuid, eui);
    }

    /**
     * Reads the identity from {@code sidecar}, creating it with fresh random identifiers the first
     * time. The file is written to a temporary name, forced and renamed, so a crash leaves either
     * no file or a whole one.
     */
    public static NamespaceIdentity loadOrCreate(Path sidecar) {
        try {
            return load(sidecar);
        } catch (NoSuchFileException e) {
            byte[] seed = new byte[32];
            RANDOM.nextBytes(seed);
            NamespaceIdentity id = fromBytes(seed);
            id.save(sidecar);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read namespace identity sidecar " + sidecar, e);
        }
    }

    private static NamespaceIdentity load(Path sidecar) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(sidecar, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        try {
            return new NamespaceIdentity(HEX.parseHex(required(p, "nguid", sidecar)),
                    UUID.fromString(required(p, "uuid", sidecar)),
                    HEX.parseHex(required(p, "eui64", sidecar)));
        } catch (IllegalArgumentException e) {
            throw new IOException("namespace identity sidecar " + sidecar + " is malformed: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException("namespace identity sidecar " + file + " has no '" + key + "' entry");
        }
        return v.trim();
    }

    private void save(Path sidecar) {
        String text = "# NVMe namespace identifiers; hosts recognise the namespace by these. Do not edit.\n"
                + "nguid=" + HEX.formatHex(nguid) + "\n"
                + "uuid=" + uuid + "\n"
                + "eui64=" + HEX.formatHex(eui64) + "\n";
        Path tmp = sidecar.resolveSibling(sidecar.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, sidecar, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, sidecar, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write namespace identity sidecar " + sidecar, e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamespaceIdentity other && Arrays.equals(nguid, other.nguid)
                && uuid.equals(other.uuid) && Arrays.equals(eui64, other.eui64);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nguid) * 31 + uuid.hashCode();
    }

    @Override
    public String toString() {
        return "NamespaceIdentity[nguid=" + HEX.formatHex(nguid) + ", uuid=" + uuid + ", eui64=" + HEX.formatHex(eui64) + "]";
    }
}
