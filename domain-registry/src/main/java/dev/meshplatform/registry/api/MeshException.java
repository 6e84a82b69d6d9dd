package dev.meshplatform.registry.api;

import java.util.List;

/**
 * What every module throws for a request it refuses or cannot serve now: a {@link Reason} the application maps to
 * one HTTP status (in one table), a stable machine-readable {@link #code()}, a message in words the caller can act
 * on, and optional further lines.
 */
public class MeshException extends RuntimeException {

    /** Why a request was refused. */
    public enum Reason {
        /** The request itself is wrong (400). */
        INVALID,
        /** The caller may not do this (403). */
        FORBIDDEN,
        NOT_FOUND,
        /** What was asked for existed and is gone for good (410): a retired version's data. */
        GONE,
        /** The name is taken (409). */
        ALREADY_EXISTS,
        /** The request conflicts with the current state (409). */
        CONFLICT,
        /** An {@code If-Match} that no longer matches (412). */
        PRECONDITION_FAILED,
        /** A transition the lifecycle or governance refuses (422). */
        TRANSITION_REJECTED,
        /** A part the platform needs does not answer now; retrying later may succeed (503). */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String code;
    private final List<String> details;

    public MeshException(Reason reason, String code, String message) {
        this(reason, code, message, List.of(), null);
    }

    public MeshException(Reason reason, String code, String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
        this.code = java.util.Objects.requireNonNull(code, "code");
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
