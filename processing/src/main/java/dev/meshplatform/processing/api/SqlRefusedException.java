package dev.meshplatform.processing.api;

/** A product's transformation SQL that the sandbox refuses, with the reason in words a domain team can act on. */
public class SqlRefusedException extends RuntimeException {

    public SqlRefusedException(String message) {
        super(message);
    }
}
