package dev.meshplatform.governance.api;

import java.util.List;

/** A request governance refuses; {@link #reason()} gives the HTTP status, {@link #code()} the stable code. */
public class GovernanceException extends RuntimeException {

    public enum Reason {
        NOT_FOUND, INVALID, CONFLICT, PRECONDITION_FAILED, FORBIDDEN,
        /** What was asked for existed and is gone for good (410): a retired version's data. */
        GONE
    }

    private final Reason reason;
    private final String code;
    private final List<String> details;

    public GovernanceException(Reason reason, String code, String message) {
        this(reason, code, message, List.of());
    }

    public GovernanceException(Reason reason, String code, String message, List<String> details) {
        super(message);
        this.reason = reason;
        this.code = code;
        this.details = List.copyOf(details);
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }

    /** Further lines for the caller, e.g. each compile error of a policy with its position. */
    public List<String> details() {
        return details;
    }
}
