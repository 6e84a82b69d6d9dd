package dev.meshplatform.registry.api;

import java.util.List;

/** A request the registry refuses, with the fields that are wrong or the verdicts that refused a transition. */
public class RegistryException extends MeshException {

    private final List<FieldProblem> fieldProblems;
    private final List<GuardVerdict> verdicts;

    public RegistryException(Reason reason, String code, String message) {
        this(reason, code, message, List.of(), List.of());
    }

    public RegistryException(Reason reason, String code, String message, List<FieldProblem> fieldProblems,
                             List<GuardVerdict> verdicts) {
        super(reason, code, message);
        this.fieldProblems = List.copyOf(fieldProblems);
        this.verdicts = List.copyOf(verdicts);
    }

    public static RegistryException notFound(String code, String message) {
        return new RegistryException(Reason.NOT_FOUND, code, message);
    }

    public static RegistryException conflict(String code, String message) {
        return new RegistryException(Reason.CONFLICT, code, message);
    }

    public static RegistryException invalid(String message, List<FieldProblem> problems) {
        return new RegistryException(Reason.INVALID, "validation-failed", message, problems, List.of());
    }

    public List<FieldProblem> fieldProblems() {
        return fieldProblems;
    }

    public List<GuardVerdict> verdicts() {
        return verdicts;
    }

    /** A problem with one field of a request, at a path such as {@code schema[2].type}. */
    public record FieldProblem(String field, String message) {
    }
}
