package org.mmtune.train;

/** The loss became NaN or infinite; the step was not applied. */
public final class NonFiniteLossException extends RuntimeException {
    public NonFiniteLossException(String message) {
        super(message);
    }
}
