package io.nvmfoffload.nvmf;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * NVMe Qualified Names: the checks nvmet applies, and the well-known discovery NQN. Like nvmet, any
 * name of 1 to 223 bytes is accepted (nvmetcli's own examples use names such as {@code testnqn});
 * the form the specification recommends is only advised.
 */
public final class Nqn {
    public static final String DISCOVERY = "nqn.2014-08.org.nvmexpress.discovery";
    public static final int MAX_BYTES = 223;
    public static final String RECOMMENDED_FORM = "nqn.yyyy-mm.reverse-domain[:name]";
    private static final System.Logger LOG = System.getLogger(Nqn.class.getName());
    private static final Pattern FORM = Pattern.compile("nqn\\.\\d{4}-\\d{2}\\.[^:]+(:.+)?|nqn\\.2014-08\\.org\\.nvmexpress:uuid:[0-9a-fA-F-]{36}");

    private Nqn() {}

    /** Returns {@code nqn} when nvmet would accept it (1 to 223 bytes, no control characters), else fails saying why. */
    public static String require(String nqn, String what) {
        if (nqn == null || nqn.isEmpty()) {
            throw new IllegalArgumentException(what + " NQN is empty");
        }
        if (nqn.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException(what + " NQN '" + nqn + "' is longer than " + MAX_BYTES + " bytes");
        }
        if (nqn.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException(what + " NQN contains a control character");
        }
        return nqn;
    }

    /** Whether {@code nqn} has the form the NVMe specification recommends. */
    public static boolean hasRecommendedForm(String nqn) {
        return FORM.matcher(nqn).matches();
    }

    /** As {@link #require}, and logs a warning when the name does not have the recommended form. */
    public static String requireAndAdvise(String nqn, String what) {
        require(nqn, what);
        if (!hasRecommendedForm(nqn)) {
            LOG.log(System.Logger.Level.WARNING, "{0} NQN ''{1}'' is not of the recommended form {2}; accepted, as nvmet does",
                    what, nqn, RECOMMENDED_FORM);
        }
        return nqn;
    }
}
