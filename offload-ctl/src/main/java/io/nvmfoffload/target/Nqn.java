package io.nvmfoffload.target;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** NVMe Qualified Names: the checks nvmet applies, and the well-known discovery NQN. */
public final class Nqn {
    public static final String DISCOVERY = "nqn.2014-08.org.nvmexpress.discovery";
    public static final int MAX_BYTES = 223;
    private static final Pattern FORM = Pattern.compile("nqn\\.\\d{4}-\\d{2}\\.[^:]+(:.+)?|nqn\\.2014-08\\.org\\.nvmexpress:uuid:[0-9a-fA-F-]{36}");

    private Nqn() {}

    /** Returns {@code nqn} when it is well formed, else fails saying why. */
    public static String require(String nqn, String what) {
        if (nqn == null || nqn.isEmpty()) {
            throw new IllegalArgumentException(what + " NQN is empty");
        }
        if (nqn.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException(what + " NQN '" + nqn + "' is longer than " + MAX_BYTES + " bytes");
        }
        if (!FORM.matcher(nqn).matches()) {
            throw new IllegalArgumentException(what + " NQN '" + nqn + "' is not of the form nqn.yyyy-mm.reverse-domain[:name]");
        }
        return nqn;
    }
}
