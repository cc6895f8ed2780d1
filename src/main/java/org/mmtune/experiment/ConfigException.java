package org.mmtune.experiment;

/** An experiment file is malformed or has a bad value; the message names the file and the key. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
