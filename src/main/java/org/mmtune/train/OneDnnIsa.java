package org.mmtune.train;

import java.util.Optional;
import org.mmtune.util.NativeEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the instruction set oneDNN (libtorch's CPU kernels) may use and sets {@code ONEDNN_MAX_CPU_ISA} in
 * this process's native environment before libtorch loads: oneDNN reads the variable with {@code getenv} at its
 * first dispatch, so {@link #prepare()} must run before the first tensor operation of the process. A user's
 * own {@code ONEDNN_MAX_CPU_ISA} always wins.
 */
public final class OneDnnIsa {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnIsa.class);

    public static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /** The ISA this process runs with ({@code null} = oneDNN's own choice, all the CPU has) and why. */
    public record Choice(String isa, String reason) {

        /** e.g. {@code AVX512_CORE (probed on this CPU: fastest with gradients that agree with AVX)}. */
        public String describe() {
            return (isa == null ? "default (all the CPU has)" : isa) + " (" + reason + ")";
        }
    }

    private static volatile Choice chosen;

    private OneDnnIsa() {
    }

    /**
     * Decides the ISA once per process and sets the variable natively; later calls return the same choice.
     * Must run before libtorch's first operation in this process.
     */
    public static synchronized Choice prepare() {
        if (chosen != null) {
            return chosen;
        }
        String own = System.getenv(VARIABLE);
        Choice c;
        if (own != null && !own.isBlank()) {
            c = new Choice(own.trim(), VARIABLE + " set in the environment");
        } else {
            c = new Choice("AVX", "conservative default");
            if (!NativeEnv.set(VARIABLE, c.isa())) {
                c = new Choice(null, "could not set " + VARIABLE + " in this process");
            }
        }
        LOG.info("oneDNN ISA: {}", c.describe());
        chosen = c;
        return c;
    }

    /** The choice made by {@link #prepare()}, or empty when it has not run in this process. */
    public static Optional<Choice> current() {
        Choice c = chosen;
        if (c != null) {
            return Optional.of(c);
        }
        String own = System.getenv(VARIABLE);
        return own == null ? Optional.empty() : Optional.of(new Choice(own, VARIABLE + " set in the environment"));
    }
}
