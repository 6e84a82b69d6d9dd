package dev.meshplatform.registry.api;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A version as a Bitol Open Data Product Standard (ODPS) v1.0.0 document, and the bundle of that document with the
 * ODCS contract of its output port ({@link OdcsContracts}), both ways. What the platform does not act on is kept in
 * the descriptor (custom property {@value #KEPT}) and comes back on export; docs/standards.md lists every field.
 */
public interface OdpsProducts {

    /** The ODPS version exports declare. */
    String API_VERSION = "v1.0.0";

    /** The descriptor's custom property holding the parts of an imported product document the platform keeps only. */
    String KEPT = "odps";

    /**
     * The ODPS document of one version: the product's own fields (title, description, tags, team, support, input
     * ports, custom properties), its status and its one output port, whose contract is {@link OdcsContracts}'s.
     */
    ObjectNode export(String domain, String product, String version, LifecycleStatus status,
                      ProductDescriptor descriptor);

    /**
     * The export as a document of {@code apiVersion}, a newer minor than {@value #API_VERSION} (v1.1.0…): the new
     * fields a document of that version brought, kept as custom properties, are fields again. Refuses other versions
     * with {@code validation-failed}.
     */
    ObjectNode asVersion(ObjectNode exported, String apiVersion);

    /** The ODPS document and the ODCS contract of its output port, in that order. */
    ArrayNode exportBundle(String domain, String product, String version, LifecycleStatus status,
                           ProductDescriptor descriptor, String kafkaBootstrapServers);

    /**
     * The descriptor a bundle stands for: a list of one ODPS document (kind DataProduct) and the ODCS document (kind
     * DataContract) of its output port, in any order. The product document decides the product's own fields, the
     * contract the rest; where the two say different things, the contract's is kept and comes back on its export.
     * Refuses what the platform cannot honour with {@code validation-failed}, each problem's path starting with the
     * document's place in the list ({@code [1].schema[0].properties[2].logicalType}).
     */
    OdcsContracts.Imported readBundle(JsonNode bundle, String domain, String product, String version);
}
