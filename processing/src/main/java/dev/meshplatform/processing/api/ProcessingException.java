package dev.meshplatform.processing.api;

/** A request processing refuses; {@link #reason()} gives the HTTP status, {@link #code()} the stable code. */
public class ProcessingException extends RuntimeException {

    public enum Reason {
        /** The request itself is wrong (400). */
        INVALID, NOT_FOUND, CONFLICT
    }

    private final Reason reason;
    private final String code;

    public ProcessingException(Reason reason, String code, String message) {
        super(message);
        this.reason = reason;
        this.code = code;
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }
}
