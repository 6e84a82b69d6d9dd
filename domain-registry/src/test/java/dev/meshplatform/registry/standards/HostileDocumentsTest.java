package dev.meshplatform.registry.standards;

import dev.meshplatform.registry.api.RegistryException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of odd and hostile documents and bundles (text where numbers belong, nulls in lists, objects where text
 * belongs, overflowing numbers): each one imports or is refused as validation-failed, never anything else (a 500).
 */
class HostileDocumentsTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String HEAD = "apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\n"
            + "status: draft\nname: T\n";

    private final OdcsMapping contracts = new OdcsMapping();
    private final OdpsMapping products = new OdpsMapping(contracts);

    @Test
    void everyDocumentImportsOrIsRefusedWithAPath() {
        Map<String, String> corpus = Map.ofEntries(
                Map.entry("unnamed partitioned", HEAD + "schema:\n- properties:\n  - {logicalType: string, partitioned: true}\n"),
                Map.entry("non-object property", HEAD + "schema:\n- properties:\n  - x\n"),
                Map.entry("non-object nested property", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: object, properties: [x]}\n"),
                Map.entry("null in validValues", HEAD + "schema:\n- properties:\n  - name: a\n    logicalType: string\n    quality:\n    - {metric: invalidValues, arguments: {validValues: [a, null]}, mustBe: 0}\n"),
                Map.entry("rangeMin text", HEAD + "schema:\n- properties:\n  - name: a\n    logicalType: integer\n    quality:\n    - {type: sql, query: 'select 1', mustBe: 0, customProperties: [{property: rangeMin, value: abc}]}\n"),
                Map.entry("mustBeBetween text", HEAD + "schema:\n- properties:\n  - name: a\n    logicalType: integer\n  quality:\n  - {type: sql, query: 'select 1', mustBeBetween: [a, b]}\n"),
                Map.entry("mesh.partitioning null", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\ncustomProperties:\n- {property: mesh.partitioning, value: [null]}\n"),
                Map.entry("mesh.inputPorts null", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\ncustomProperties:\n- {property: mesh.inputPorts, value: [null]}\n"),
                Map.entry("quality name object", HEAD + "schema:\n- properties:\n  - name: a\n    logicalType: string\n    quality:\n    - {name: {x: 1}, metric: nullValues, mustBe: 0}\n"),
                Map.entry("support url object", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\nsupport:\n- {channel: c, url: {x: 1}}\n"),
                Map.entry("member non-object", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\nteam:\n  name: t\n  members: [alice, 3]\n"),
                Map.entry("decimal(10)", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: number, physicalType: 'decimal(38)'}\n"),
                Map.entry("null item in schema list", HEAD + "schema:\n- properties:\n  - null\n"),
                Map.entry("custom value null", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\ncustomProperties:\n- {property: foo, value: null}\n- {property: mesh.custom.bar}\n"),
                Map.entry("mesh.outputPortName no value", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\ncustomProperties:\n- {property: mesh.outputPortName}\n"),
                Map.entry("items null", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: array, items: null}\n"),
                Map.entry("quality non-object", HEAD + "schema:\n- properties:\n  - name: a\n    logicalType: string\n    quality: [x]\n"),
                Map.entry("sla non-object", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\nslaProperties: [x, {property: latency, value: 99999999999999999999, unit: h}]\n"),
                Map.entry("two unnamed sql", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\n  quality:\n  - {type: sql, query: 'SELECT count(*) FROM ${object}', mustBeGreaterOrEqualTo: 1}\n  - {type: sql, query: 'SELECT count(*) FROM ${object} WHERE a IS NULL', mustBe: 0}\n"),
                Map.entry("property sql", HEAD + "schema:\n- properties:\n  - name: a\n    logicalType: string\n    quality:\n    - {type: sql, query: 'SELECT count(*) FROM ${object} WHERE ${property} IS NULL', mustBe: 0}\n"),
                Map.entry("bundle non-object odps", "- {kind: DataProduct, apiVersion: v1.0.0, outputPorts: 3, inputPorts: [3]}\n- " + "{apiVersion: v3.1.0, kind: DataContract, name: T, schema: [{properties: [{name: a, logicalType: string}]}]}\n"),
                Map.entry("bundle odps team members", "- {kind: DataProduct, apiVersion: v1.0.0, team: {members: [null]}, support: [null], customProperties: [3], outputPorts: [{name: x}]}\n- " + "{apiVersion: v3.1.0, kind: DataContract, name: T, schema: [{properties: [{name: a, logicalType: string}]}]}\n"),
                Map.entry("odps mesh.inputPort null", "- {kind: DataProduct, apiVersion: v1.0.0, inputPorts: [{name: a, customProperties: [{property: mesh.inputPort, value: null}]}], outputPorts: [{name: x}]}\n- " + "{apiVersion: v3.1.0, kind: DataContract, name: T, schema: [{properties: [{name: a, logicalType: string}]}]}\n"),
                Map.entry("odps inputPorts item null", "- {kind: DataProduct, apiVersion: v1.0.0, inputPorts: [null], outputPorts: [{name: x}]}\n- " + "{apiVersion: v3.1.0, kind: DataContract, name: T, schema: [{properties: [{name: a, logicalType: string}]}]}\n"),
                Map.entry("odps outputPort non-object", "- {kind: DataProduct, apiVersion: v1.0.0, outputPorts: [x]}\n- " + "{apiVersion: v3.1.0, kind: DataContract, name: T, schema: [{properties: [{name: a, logicalType: string}]}]}\n"),
                Map.entry("customProperties item non-object", HEAD + "schema:\n- properties:\n  - {name: a, logicalType: string}\ncustomProperties: [x, 3]\n"),
                Map.entry("description non-object", HEAD + "description: hello\nschema:\n- properties:\n  - {name: a, logicalType: string}\n"),
                Map.entry("schema[0] non-object", HEAD + "schema: [x]\n"),
                Map.entry("v3.2 customProperties object", "apiVersion: v3.2.0\nkind: DataContract\nname: T\ncontractOwner: me\ncustomProperties: {a: 1}\nschema:\n- properties:\n  - {name: a, logicalType: string}\n"));
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (Map.Entry<String, String> entry : corpus.entrySet()) {
            JsonNode document = YAML.readTree(entry.getValue());
            try {
                if (document.isArray()) {
                    products.readBundle(document, "sales", "orders", "1.0.0");
                } else {
                    contracts.read(document, "sales", "orders", "1.0.0");
                }
            } catch (RegistryException e) {
                refused++;
                if (!e.code().equals("validation-failed") || e.fieldProblems().isEmpty()) {
                    failures.add(entry.getKey() + ": " + e.code() + " " + e.fieldProblems());
                }
                // A refusal speaks of the document, not of the code that read it.
                e.fieldProblems().stream().filter(p -> p.message().contains("Cannot invoke")
                        || p.message().contains("Exception")).forEach(p -> failures.add(entry.getKey() + ": " + p));
            } catch (RuntimeException e) {
                failures.add(entry.getKey() + ": " + e);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(refused).isGreaterThan(corpus.size() / 2);
    }
}
