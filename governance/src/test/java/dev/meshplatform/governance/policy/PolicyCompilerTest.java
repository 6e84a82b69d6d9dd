package dev.meshplatform.governance.policy;

import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.PolicyKind;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.testsupport.Descriptors;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyCompilerTest {

    private final PolicyCompiler compiler = new PolicyCompiler();

    private Map<String, Object> gate() {
        var product = PolicyFacts.product("sales", "people", "1.0.0", LifecycleStatus.DRAFT, Descriptors.complete());
        return Map.of("product", product, "previous", PolicyFacts.product(null, null, null, null, null),
                "has_previous", false, "compat", PolicyFacts.compatibility(Compatibility.Report.NONE));
    }

    @Test
    void aBooleanGateRunsOnTheDescriptor() {
        var compiled = compiler.compile(PolicyKind.GATE,
                "has(product.slos) && product.owner != '' && product.schema.all(f, f.description != '')");
        assertThat(compiled.evaluate(gate()).passed()).isTrue();
        assertThat(compiler.compile(PolicyKind.GATE, "product.quality.size() > 10").evaluate(gate()).passed())
                .isFalse();
    }

    @Test
    void aListGateNamesItsViolations() {
        var compiled = compiler.compile(PolicyKind.GATE,
                "product.schema.filter(f, f.classification == 'PII').map(f, 'PII field ' + f.name)");
        var outcome = compiled.evaluate(gate());
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.violations()).contains("PII field name", "PII field birthday");
    }

    @Test
    void anEvaluationThatWouldRunAwayStopsAndFailsClosed() {
        var runaway = compiler.compile(PolicyKind.GATE,
                "product.all_fields.all(a, product.all_fields.all(b, product.all_fields.all(c, "
                        + "product.all_fields.all(d, product.all_fields.all(e, a.name != '')))))");
        var outcome = runaway.evaluate(gate());
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.error()).isNotNull();
    }

    @Test
    void aMisspelledFieldIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> compiler.compile(PolicyKind.GATE, "product.ownr != ''"))
                .isInstanceOf(GovernanceException.class)
                .hasMessageContaining("ownr")
                .satisfies(e -> {
                    GovernanceException g = (GovernanceException) e;
                    assertThat(g.code()).isEqualTo("policy-invalid");
                    assertThat(g.details()).anySatisfy(d -> assertThat(d).contains("1:"));
                });
    }

    @Test
    void unknownFunctionsVariablesAndWrongResultTypesAreRefused() {
        assertThatThrownBy(() -> compiler.compile(PolicyKind.ACCESS, "is_friend(principal)"))
                .hasMessageContaining("is_friend");
        assertThatThrownBy(() -> compiler.compile(PolicyKind.ACCESS, "field.classification == 'PII'"))
                .hasMessageContaining("field");
        assertThatThrownBy(() -> compiler.compile(PolicyKind.MASK, "principal.name"))
                .hasMessageContaining("must answer a bool");
        assertThatThrownBy(() -> compiler.compile(PolicyKind.GATE, "product.title +"))
                .isInstanceOf(GovernanceException.class);
        assertThatThrownBy(() -> compiler.compile(PolicyKind.ACCESS, "request.columns.size() > 'x'"))
                .isInstanceOf(GovernanceException.class);
    }
}
