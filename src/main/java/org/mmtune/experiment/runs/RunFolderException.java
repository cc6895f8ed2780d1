package org.mmtune.experiment.runs;

/** A run folder's file is missing or malformed; the message is one plain line naming the file. */
public class RunFolderException extends Exception {
    public RunFolderException(String message) {
        super(message);
    }

    public RunFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
