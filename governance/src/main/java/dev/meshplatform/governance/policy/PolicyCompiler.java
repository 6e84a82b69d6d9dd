package dev.meshplatform.governance.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructTypeReference;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.PolicyKind;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles policy expressions against the declared variables of their kind and turns them into programs. Nothing is
 * {@code dyn}: every variable is a struct type of {@link PolicyTypes}, so the type checker refuses unknown fields,
 * unknown functions and results of the wrong type before a policy is stored.
 */
final class PolicyCompiler {

    private static final CelType PRODUCT = StructTypeReference.create("mesh.Product");
    private static final CelType LIST_OF_STRINGS = ListType.create(SimpleType.STRING);
    /**
     * Bounds the work of one evaluation: a policy runs on every read, and nested comprehensions over a large schema
     * could otherwise take the instance down. Every shipped policy stays far below it.
     */
    static final int MAX_ITERATIONS = 100_000;
    private static final CelOptions OPTIONS = CelOptions.current().comprehensionMaxIterations(MAX_ITERATIONS).build();

    private final Map<PolicyKind, CelCompiler> compilers = new EnumMap<>(PolicyKind.class);
    private final CelRuntime runtime;

    public PolicyCompiler() {
        compilers.put(PolicyKind.GATE, base()
                .addVar("product", PRODUCT)
                .addVar("previous", PRODUCT)
                .addVar("has_previous", SimpleType.BOOL)
                .addVar("compat", StructTypeReference.create("mesh.Compatibility"))
                .addVar("lineage", StructTypeReference.create("mesh.Lineage"))
                .build());
        compilers.put(PolicyKind.ACCESS, base()
                .addVar("principal", StructTypeReference.create("mesh.Principal"))
                .addVar("request", StructTypeReference.create("mesh.Request"))
                .addVar("product", PRODUCT)
                .build());
        compilers.put(PolicyKind.MASK, base()
                .addVar("principal", StructTypeReference.create("mesh.Principal"))
                .addVar("request", StructTypeReference.create("mesh.Request"))
                .addVar("product", PRODUCT)
                .addVar("field", StructTypeReference.create("mesh.Field"))
                .build());
        runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(OPTIONS)
                .addFileTypes(PolicyTypes.FILE)
                .build();
    }

    private static dev.cel.compiler.CelCompilerBuilder base() {
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addFileTypes(PolicyTypes.FILE);
    }

    /** A policy ready to run: its program and whether it answers a list of violations rather than a bool. */
    public record Compiled(CelRuntime.Program program, boolean violations) {

        /** Runs the program; a policy that cannot be evaluated answers with the error, never silently passes. */
        public Outcome evaluate(Map<String, ?> variables) {
            try {
                Object result = program.eval(variables);
                if (result instanceof Boolean passed) {
                    return new Outcome(passed, List.of(), null);
                }
                List<String> found = ((List<?>) result).stream().map(String::valueOf).toList();
                return new Outcome(found.isEmpty(), found, null);
            } catch (CelEvaluationException e) {
                return new Outcome(false, List.of(), e.getMessage());
            }
        }
    }

    /**
     * @param passed     the policy holds (for MASK: the mask applies)
     * @param violations what a list-valued GATE found
     * @param error      why the expression could not be evaluated, or null
     */
    public record Outcome(boolean passed, List<String> violations, String error) {
    }

    /** Compiles {@code expression} for {@code kind}; refuses it with every issue and its position. */
    public Compiled compile(PolicyKind kind, String expression) {
        CelValidationResult result = compilers.get(kind).compile(expression, "policy");
        if (result.hasError()) {
            throw invalid(kind, result.getErrors().stream()
                    .map(issue -> issue.toDisplayString(result.getSource()).replace("ERROR: policy:", "at "))
                    .toList());
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw invalid(kind, List.of(e.getMessage()));
        }
        CelType type = ast.getResultType();
        boolean violations = kind == PolicyKind.GATE && type.equals(LIST_OF_STRINGS);
        if (!type.equals(SimpleType.BOOL) && !violations) {
            throw invalid(kind, List.of("the expression is of type " + type.name() + ", but a " + kind
                    + " policy must answer a bool" + (kind == PolicyKind.GATE ? " or a list(string) of violations" : "")));
        }
        try {
            return new Compiled(runtime.createProgram(ast), violations);
        } catch (CelEvaluationException e) {
            throw invalid(kind, List.of(e.getMessage()));
        }
    }

    private static GovernanceException invalid(PolicyKind kind, List<String> issues) {
        return new GovernanceException(GovernanceException.Reason.INVALID, "policy-invalid",
                "the " + kind + " policy does not compile: " + String.join("; ", issues), issues);
    }
}
