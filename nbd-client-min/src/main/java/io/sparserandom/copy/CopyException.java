package io.sparserandom.copy;

/** The copy failed; the message says which range and why. */
public class CopyException extends Exception {
    public CopyException(String message, Throwable cause) {
        super(message, cause);
    }
}
