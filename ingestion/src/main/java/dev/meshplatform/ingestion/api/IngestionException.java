package dev.meshplatform.ingestion.api;

/**
 * A request ingestion refuses or cannot serve now. {@link #reason()} tells the application the HTTP status;
 * {@link #code()} is the stable code clients see.
 */
public class IngestionException extends RuntimeException {

    public enum Reason {
        NOT_FOUND, INVALID, CONFLICT, UNAVAILABLE
    }

    private final Reason reason;
    private final String code;

    public IngestionException(Reason reason, String code, String message) {
        super(message);
        this.reason = reason;
        this.code = code;
    }

    public IngestionException(Reason reason, String code, String message, Throwable cause) {
        super(message, cause);
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
