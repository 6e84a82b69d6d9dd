package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.OutputPort;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.RegistryException.FieldProblem;
import dev.meshplatform.registry.api.SchemaField;
import dev.meshplatform.registry.api.Transformation;
import dev.meshplatform.registry.testsupport.Descriptors;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.meshplatform.registry.testsupport.Descriptors.field;
import static org.assertj.core.api.Assertions.assertThat;

class DescriptorValidatorTest {

    private static ValidatorFactory factory;
    private static DescriptorValidator validator;

    @BeforeAll
    static void setUp() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = new DescriptorValidator(factory.getValidator());
    }

    @AfterAll
    static void tearDown() {
        factory.close();
    }

    private static List<FieldProblem> validate(ProductDescriptor d) {
        return validator.validate("sales", "people", d);
    }

    private static ProductDescriptor withSchema(List<SchemaField> schema) {
        ProductDescriptor c = Descriptors.complete();
        return new ProductDescriptor(c.title(), c.description(), c.owner(), c.support(), c.tags(), c.inputPorts(),
                null, schema, c.slos(), List.of(), null, c.retention(), c.customProperties());
    }

    @Test
    void theCompleteDescriptorIsValid() {
        assertThat(validate(Descriptors.complete())).isEmpty();
        assertThat(validate(Descriptors.minimal("Tiny"))).isEmpty();
    }

    @Test
    void reportsBeanConstraintsWithPlainPaths() {
        ProductDescriptor d = new ProductDescriptor(" ", null, null, null, List.of(""), null, null, List.of(),
                null, null, null, null, null);
        assertThat(validate(d)).extracting(FieldProblem::field).contains("title", "schema", "tags[0]");
    }

    @Test
    void checksTypesAndNesting() {
        List<FieldProblem> problems = validate(withSchema(List.of(
                field("id", "varchar", true, null),
                field("ID", "long", false, null),
                field("_hidden", "string", false, null),
                new SchemaField("s", "struct", false, null, null, List.of(), null, null),
                new SchemaField("l", "list", false, null, null, List.of(), null, null),
                new SchemaField("x", "string", false, null, null, List.of(), List.of(field("y", "int", false, null)),
                        null))));
        assertThat(problems).extracting(FieldProblem::field).containsExactly(
                "schema[0].type", "schema[1].name", "schema[2].name", "schema[3].fields", "schema[4].items",
                "schema[5].fields");
        assertThat(problems.get(0).message()).contains("unknown type 'varchar'");
        assertThat(problems.get(1).message()).contains("duplicate field name 'ID'");
    }

    @Test
    void checksReferencesToFields() {
        ProductDescriptor c = Descriptors.complete();
        ProductDescriptor d = new ProductDescriptor(c.title(), c.description(), c.owner(), c.support(), c.tags(),
                c.inputPorts(), new OutputPort(null, null, List.of("day(country)", "bucket(16, nope)", "x y")),
                c.schema(), c.slos(),
                List.of(new QualityRule("r1", QualityRule.Type.NOT_NULL, "missing", null, null, null, null, null,
                                null, null),
                        new QualityRule("r1", QualityRule.Type.RANGE, "address.city", null, null, null, null, null,
                                null, null),
                        new QualityRule("r3", QualityRule.Type.SQL, null, null, null, null, null, null, null, null)),
                new Transformation("select 1", "0 0 * * * *", Transformation.Mode.MERGE, null, "soon"),
                c.retention(), c.customProperties());
        assertThat(validate(d)).extracting(FieldProblem::field).containsExactly(
                "outputPort.partitioning[0]", "outputPort.partitioning[1]", "outputPort.partitioning[2]",
                "quality[0].column", "quality[1]", "quality[1].name", "quality[2]", "quality[2].query",
                "transformation.mergeKeys", "transformation.schedule", "transformation.timeLimit");
    }

    @Test
    void checksInputPorts() {
        ProductDescriptor c = Descriptors.complete();
        List<InputPort> ports = new ArrayList<>(c.inputPorts());
        ports.add(new InputPort("events", InputPort.Type.KAFKA, "x", null, null, null, null, null, null, null));
        ports.add(new InputPort("self", InputPort.Type.PRODUCT, "sales", "people", 1, 3, null, null, null, null));
        ports.add(new InputPort("bad", InputPort.Type.PRODUCT, "Sales", null, null, null, null, null, null, null));
        ProductDescriptor d = new ProductDescriptor(c.title(), c.description(), c.owner(), c.support(), c.tags(),
                ports, c.outputPort(), c.schema(), c.slos(), c.quality(), c.transformation(), c.retention(),
                c.customProperties());
        assertThat(validate(d)).extracting(FieldProblem::field).containsExactly(
                "inputPorts", "inputPorts[1]", "inputPorts[1].name", "inputPorts[2]", "inputPorts[2]",
                "inputPorts[3].domain", "inputPorts[3].majorVersion", "inputPorts[3].product", "inputPorts[3].purpose");
    }

    @Test
    void checksDurations() {
        ProductDescriptor c = Descriptors.complete();
        ProductDescriptor d = new ProductDescriptor(c.title(), c.description(), c.owner(), c.support(), c.tags(),
                c.inputPorts(), c.outputPort(), c.schema(), new ProductDescriptor.Slos("an hour", null),
                c.quality(), c.transformation(), new ProductDescriptor.Retention("forever"), c.customProperties());
        assertThat(validate(d)).extracting(FieldProblem::field).containsExactly("retention.period", "slos.freshness");
    }
}
