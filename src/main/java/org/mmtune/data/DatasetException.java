package org.mmtune.data;

/** A dataset could not be opened or read; the message is one plain line naming the file and the problem. */
public class DatasetException extends Exception {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
