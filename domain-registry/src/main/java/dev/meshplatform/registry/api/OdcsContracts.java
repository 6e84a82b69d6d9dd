package dev.meshplatform.registry.api;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A version's output port as a Bitol Open Data Contract Standard (ODCS) v3.1.0 document, and a descriptor from such
 * a document. What the platform does not act on is kept in the descriptor (custom property {@value #KEPT}) and comes
 * back on export; docs/standards.md lists every field and what happens to it.
 */
public interface OdcsContracts {

    /** The ODCS version exports declare. */
    String API_VERSION = "v3.1.0";

    /** The descriptor's custom property holding the parts of an imported document the platform keeps only. */
    String KEPT = "odcs";

    /** The custom property of an export carrying the last run's quality and SLA results; imports ignore it. */
    String LAST_RUN = "mesh.lastRun";

    /**
     * The ODCS document of one version's output port contract: the descriptor mapped field by field, the status, and
     * the servers (the product's Kafka topic when it has one, and its Iceberg table).
     *
     * @param kafkaBootstrapServers where producers connect, for the Kafka server entry
     */
    ObjectNode export(String domain, String product, String version, LifecycleStatus status,
                      ProductDescriptor descriptor, String kafkaBootstrapServers);

    /**
     * The export as a document of {@code apiVersion}, a newer minor than {@value #API_VERSION} (v3.2.0…): the new
     * fields a document of that version brought, kept as custom properties, are fields again. Refuses other versions
     * with {@code validation-failed}.
     */
    ObjectNode asVersion(ObjectNode exported, String apiVersion);

    /**
     * The descriptor an ODCS document stands for, as version {@code version} of {@code domain/product}. Refuses what
     * the platform cannot honour with {@code validation-failed}, each problem naming the document's JSON path (e.g.
     * {@code schema[0].properties[2].logicalType}); the descriptor itself is checked by the apply that follows.
     */
    Imported read(JsonNode document, String domain, String product, String version);

    /**
     * A descriptor read from an ODCS document (or a bundle), what the platform ignored or keeps without acting on it,
     * and where the descriptor's fields sit in what was sent.
     *
     * @param warnings     one line each, with the JSON path
     * @param documentPath a descriptor field's path (as the apply's checks name it) → its path in what was sent
     */
    record Imported(ProductDescriptor descriptor, List<String> warnings, UnaryOperator<String> documentPath) {
        public Imported {
            warnings = List.copyOf(warnings);
        }

        /** {@code refused} with its problems' paths in what was sent; as it is when it names no field. */
        public RegistryException inDocuments(RegistryException refused) {
            if (refused.fieldProblems().isEmpty()) {
                return refused;
            }
            return new RegistryException(refused.reason(), refused.code(), refused.getMessage(),
                    refused.fieldProblems().stream().map(problem -> new RegistryException.FieldProblem(
                            documentPath.apply(problem.field()), problem.message())).toList(),
                    refused.verdicts());
        }
    }
}
