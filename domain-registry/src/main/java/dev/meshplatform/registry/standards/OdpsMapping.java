package dev.meshplatform.registry.standards;

import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.OdpsProducts;
import dev.meshplatform.registry.api.OutputPort;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SemanticVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The descriptor ↔ ODPS v1.0.0 mapping, and bundles of an ODPS document with the ODCS contract of its output port
 * (docs/standards.md is its description). The product document carries the product's own fields; the contract, read
 * by {@link OdcsMapping}, the rest. Each document's parts the platform does not act on are kept as a
 * {@link DocumentDelta} of their own.
 */
final class OdpsMapping implements OdpsProducts {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** An input port's whole descriptor form, for what ODPS's name, version and contract id cannot say. */
    static final String INPUT_PORT = "mesh.inputPort";
    static final String PURPOSE = "purpose";

    /** What the server decides, whatever an imported document says: left out of what is kept. */
    private static final Set<String> SERVER_OWNED = Set.of("/apiVersion", "/kind", "/id", "/version", "/status",
            "/domain", "/outputPorts/0/type", "/outputPorts/0/version", "/outputPorts/0/contractId",
            "/outputPorts/0/inputContracts");

    /** Another product's output port by its contract's id, as ODCS exports name it. */
    private static final Pattern CONTRACT_ID = Pattern.compile("([a-z][a-z0-9-]*)/([a-z][a-z0-9-]*)/v(\\d{1,9})");

    private final OdcsMapping contracts;

    OdpsMapping(OdcsMapping contracts) {
        this.contracts = contracts;
    }

    // ---------------------------------------------------------------- export

    @Override
    public ObjectNode export(String domain, String product, String version, LifecycleStatus status,
                             ProductDescriptor descriptor) {
        ObjectNode document = exportMapped(domain, product, version, status, descriptor);
        Object kept = descriptor.customProperties().get(KEPT);
        if (kept != null) {
            DocumentDelta.fromTree(OdcsMapping.MAPPER.valueToTree(kept)).applyTo(document);
        }
        return document;
    }

    @Override
    public ArrayNode exportBundle(String domain, String product, String version, LifecycleStatus status,
                                  ProductDescriptor descriptor, String kafkaBootstrapServers) {
        ArrayNode bundle = NODES.arrayNode();
        bundle.add(export(domain, product, version, status, descriptor));
        bundle.add(contracts.export(domain, product, version, status, descriptor, kafkaBootstrapServers));
        return bundle;
    }

    @Override
    public ObjectNode asVersion(ObjectNode exported, String apiVersion) {
        return NewerMinors.ODPS.unfold(exported, apiVersion);
    }

    /** The export of what the platform acts on, without the parts kept from an import. */
    ObjectNode exportMapped(String domain, String product, String version, LifecycleStatus status,
                            ProductDescriptor d) {
        ProductMajor major = new ProductMajor(domain, product, SemanticVersion.parse(version).major());
        ObjectNode doc = NODES.objectNode();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", "DataProduct");
        doc.put("id", domain + "/" + product);
        doc.put("name", d.title());
        doc.put("version", version);
        doc.put("status", OdcsMapping.status(status));
        doc.put("domain", domain);
        if (d.description() != null) {
            doc.putObject("description").put("purpose", d.description());
        }
        if (!d.tags().isEmpty()) {
            ArrayNode tags = doc.putArray("tags");
            d.tags().forEach(tags::add);
        }
        ArrayNode inputContracts = NODES.arrayNode();
        if (!d.inputPorts().isEmpty()) {
            ArrayNode ports = doc.putArray("inputPorts");
            for (InputPort port : d.inputPorts()) {
                ObjectNode item = ports.addObject().put("name", port.name());
                if (isByContract(port)) {
                    String contractId = new ProductMajor(port.domain(), port.product(), port.majorVersion()).key();
                    item.put("version", port.majorVersion() + ".x");
                    item.put("contractId", contractId);
                    if (port.purpose() != null) {
                        item.putArray("customProperties").addObject().put("property", PURPOSE)
                                .put("value", port.purpose());
                    }
                    inputContracts.addObject().put("id", contractId).put("version", port.majorVersion() + ".x");
                } else {
                    item.put("version", version);
                    item.put("contractId", major.key());
                    item.putArray("customProperties").addObject().put("property", INPUT_PORT)
                            .set("value", OdcsMapping.MAPPER.valueToTree(port));
                }
            }
        }
        ObjectNode output = doc.putArray("outputPorts").addObject();
        String portName = d.outputPort() == null ? null : d.outputPort().name();
        output.put("name", portName == null ? major.outputTable() : portName);
        if (d.outputPort() != null && d.outputPort().description() != null) {
            output.put("description", d.outputPort().description());
        }
        output.put("type", "iceberg-table");
        output.put("version", version);
        output.put("contractId", major.key());
        if (!inputContracts.isEmpty()) {
            output.set("inputContracts", inputContracts);
        }
        if (major.outputTable().equals(portName)) {
            // Named exactly as the default: said once more, so that the import tells it from no name.
            output.putArray("customProperties").addObject().put("property", OdcsMapping.OUTPUT_PORT_NAME)
                    .put("value", portName);
        }
        OdcsMapping.support(doc, d.support());
        OdcsMapping.team(doc, d.owner());
        ArrayNode custom = NODES.arrayNode();
        OdcsMapping.customProperties(custom, d.customProperties());
        if (!custom.isEmpty()) {
            doc.set("customProperties", custom);
        }
        return doc;
    }

    /** A port ODPS says in full by name, version and contract id: another product's output port. */
    private static boolean isByContract(InputPort port) {
        return port.type() == InputPort.Type.PRODUCT && port.domain() != null && port.product() != null
                && port.majorVersion() != null && port.partitions() == null && port.replicationFactor() == null
                && port.startLanding() == null && port.schema() == null;
    }

    // ---------------------------------------------------------------- import

    @Override
    public OdcsContracts.Imported readBundle(JsonNode bundle, String domain, String product, String version) {
        List<RegistryException.FieldProblem> problems = new ArrayList<>();
        int productAt = -1;
        int contractAt = -1;
        if (!bundle.isArray()) {
            problems.add(new RegistryException.FieldProblem("$", "a bundle is a list of documents: one ODPS "
                    + "DataProduct and the ODCS DataContract of its output port"));
        } else {
            for (int i = 0; i < bundle.size(); i++) {
                switch (bundle.get(i).path("kind").asString("")) {
                    case "DataProduct" -> productAt = placeOnce(productAt, i, problems, "DataProduct");
                    case "DataContract" -> contractAt = placeOnce(contractAt, i, problems,
                            "DataContract (a product serves one output port)");
                    default -> problems.add(new RegistryException.FieldProblem("[" + i + "].kind",
                            "DataProduct or DataContract"));
                }
            }
            if (productAt < 0) {
                problems.add(new RegistryException.FieldProblem("$", "no ODPS document (kind DataProduct)"));
            }
            if (contractAt < 0) {
                problems.add(new RegistryException.FieldProblem("$",
                        "no ODCS document (kind DataContract) for the output port"));
            }
        }
        if (!problems.isEmpty()) {
            throw RegistryException.invalid("the bundle is not one product and its contract", problems);
        }
        OdcsMapping.Reading contractReading = new OdcsMapping.Reading(domain, "[" + contractAt + "].");
        JsonNode contractDocument = OdcsMapping.withoutRunResults(
                NewerMinors.ODCS.fold(bundle.get(contractAt), contractReading.warnings), contractReading.warnings);
        ProductDescriptor contract = contractReading.guarded("", () -> contractReading.descriptor(contractDocument));
        OdcsMapping.Reading productReading = new OdcsMapping.Reading(domain, "[" + productAt + "].");
        JsonNode productDocument = NewerMinors.ODPS.fold(bundle.get(productAt), productReading.warnings);
        ProductMajor major = new ProductMajor(domain, product, SemanticVersion.parse(version).major());
        ProductDescriptor merged = contract == null ? null
                : productReading.guarded("", () -> merge(productDocument, contract, productReading, major));
        problems.addAll(contractReading.problems);
        problems.addAll(productReading.problems);
        if (!problems.isEmpty()) {
            throw RegistryException.invalid("the bundle has parts the platform cannot honour", problems);
        }
        String contractId = productDocument.path("outputPorts").path(0).path("contractId").asString(null);
        String declaredId = contractDocument.path("id").asString(null);
        if (contractId != null && declaredId != null && !contractId.equals(declaredId)) {
            productReading.warnings.add("outputPorts[0].contractId: '" + contractId + "' is not the contract's id '"
                    + declaredId + "'; the bundle's contract is used, and both ids are the server's");
        }
        merged = contracts.keep(contractDocument, domain, product, version, merged, contractReading);
        ObjectNode productExport = exportMapped(domain, product, version, LifecycleStatus.DRAFT, merged);
        productReading.disagreements(productExport, productDocument, serverOwned(productDocument));
        merged = productReading.keep(merged, KEPT, DocumentDelta.between(productExport, productDocument,
                serverOwned(productDocument)));
        List<String> warnings = new ArrayList<>(productReading.warnings());
        warnings.addAll(contractReading.warnings());
        ProductDescriptor imported = merged;
        List<String> productFields = new ArrayList<>();
        productDocument.propertyNames().forEach(productFields::add);
        int productIndex = productAt;
        int contractIndex = contractAt;
        return new OdcsContracts.Imported(imported, warnings,
                path -> DocumentPaths.inBundle(imported, path, productIndex, productFields, contractIndex));
    }

    /** What the server decides in this document: also a Kafka port's contract id and version (the product's own). */
    private static Set<String> serverOwned(JsonNode document) {
        Set<String> owned = new HashSet<>(SERVER_OWNED);
        JsonNode ports = document.path("inputPorts");
        for (int i = 0; i < ports.size(); i++) {
            if (OdcsMapping.customValue(ports.get(i), INPUT_PORT) != null) {
                owned.add("/inputPorts/" + i + "/contractId");
                owned.add("/inputPorts/" + i + "/version");
            }
        }
        return owned;
    }

    private static int placeOnce(int placed, int at, List<RegistryException.FieldProblem> problems, String what) {
        if (placed >= 0) {
            problems.add(new RegistryException.FieldProblem("[" + at + "].kind", "a second " + what));
            return placed;
        }
        return at;
    }

    /**
     * The contract's descriptor with the product's own fields as the product document says them; a field the product
     * document leaves out stays as the contract says it.
     */
    private ProductDescriptor merge(JsonNode doc, ProductDescriptor contract, OdcsMapping.Reading reading,
                                    ProductMajor major) {
        if (!doc.isObject()) {
            reading.refuse("", "an ODPS document is an object");
            return contract;
        }
        String apiVersion = doc.path("apiVersion").asString("");
        if (!apiVersion.equals(API_VERSION) && !apiVersion.equals("v0.9.0") && !NewerMinors.ODPS.isNewer(doc)) {
            reading.refuse("apiVersion", "the platform reads ODPS v1.x (and v0.9.0) documents, not '"
                    + apiVersion + "'");
        }
        String title = doc.has("name") ? reading.text(doc, "name", "name") : contract.title();
        String description = doc.path("description").has("purpose")
                ? reading.text(doc.get("description"), "purpose", "description.purpose") : contract.description();
        List<String> tags = doc.has("tags") ? reading.strings(doc.get("tags"), "tags") : contract.tags();
        ProductDescriptor.Owner owner = doc.has("team") ? reading.guarded("team", () -> reading.owner(doc.get("team")))
                : contract.owner();
        List<ProductDescriptor.Support> support = doc.has("support")
                ? reading.guarded("support", () -> reading.support(doc.get("support"))) : contract.support();
        List<InputPort> inputPorts = doc.has("inputPorts")
                ? reading.guarded("inputPorts", () -> inputPorts(doc.get("inputPorts"), reading))
                : contract.inputPorts();
        OutputPort outputPort = contract.outputPort();
        if (doc.has("outputPorts")) {
            outputPort = reading.guarded("outputPorts",
                    () -> outputPort(doc.get("outputPorts"), contract.outputPort(), reading, major));
        }
        Map<String, Object> custom = contract.customProperties();
        if (doc.has("customProperties")) {
            custom = new LinkedHashMap<>();
            JsonNode items = doc.get("customProperties");
            for (int i = 0; items.isArray() && i < items.size(); i++) {
                JsonNode item = items.get(i);
                reading.customProperty(item.path("property").asString(""), item.get("value"),
                        "customProperties[" + i + "]", custom);
            }
        }
        return new ProductDescriptor(title, description, owner, support == null ? List.of() : support, tags,
                inputPorts == null ? List.of() : inputPorts, outputPort,
                contract.schema(), contract.slos(), contract.quality(), contract.transformation(),
                contract.retention(), custom);
    }

    private List<InputPort> inputPorts(JsonNode ports, OdcsMapping.Reading reading) {
        List<InputPort> read = new ArrayList<>();
        if (!ports.isArray()) {
            reading.refuse("inputPorts", "a list of input ports");
            return read;
        }
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String path = "inputPorts[" + i + "]";
            String name = reading.text(port, "name", path + ".name");
            JsonNode whole = OdcsMapping.customValue(port, INPUT_PORT);
            if (whole != null) {
                try {
                    InputPort given = OdcsMapping.MAPPER.treeToValue(whole, InputPort.class);
                    if (given == null) {
                        reading.refuse(path + ".customProperties", INPUT_PORT + " is an input port, not null");
                        continue;
                    }
                    if (name != null && !name.equals(given.name())) {
                        reading.refuse(path + ".name", "'" + name + "' is not the name in " + INPUT_PORT + " ('"
                                + given.name() + "')");
                    }
                    read.add(given);
                } catch (RuntimeException e) {
                    reading.refuse(path + ".customProperties", INPUT_PORT + " does not fit an input port: "
                            + OdcsMapping.Reading.reason(e));
                }
                continue;
            }
            Matcher contractId = CONTRACT_ID.matcher(port.path("contractId").asString(""));
            if (!contractId.matches()) {
                // Lineage the platform cannot follow is documentation: kept, not read by runs.
                reading.warnings.add(path + ": contract '" + port.path("contractId").asString("")
                        + "' is not a product's output port here (<domain>/<product>/v<major>) nor the product's "
                        + "own topic (" + INPUT_PORT + "); kept as given, runs do not read it");
                continue;
            }
            JsonNode purpose = OdcsMapping.customValue(port, PURPOSE);
            read.add(new InputPort(name, InputPort.Type.PRODUCT, contractId.group(1), contractId.group(2),
                    Integer.parseInt(contractId.group(3)), null, null, null, null,
                    purpose != null && purpose.isString() ? purpose.asString() : null));
        }
        return read;
    }

    private OutputPort outputPort(JsonNode ports, OutputPort contract, OdcsMapping.Reading reading,
                                  ProductMajor major) {
        if (!ports.isArray() || ports.size() != 1) {
            reading.refuse("outputPorts", "one output port: the product's table, whose contract is the bundle's "
                    + "ODCS document");
            return contract;
        }
        JsonNode port = ports.get(0);
        String name = reading.text(port, "name", "outputPorts[0].name");
        JsonNode named = OdcsMapping.customValue(port, OdcsMapping.OUTPUT_PORT_NAME);
        if (named != null && named.isString()) {
            name = named.asString();
        } else if (major.outputTable().equals(name)) {
            name = null;
        }
        // A description the product document leaves out is the contract's (its table's).
        String description = port.has("description") ? reading.text(port, "description", "outputPorts[0].description")
                : contract == null ? null : contract.description();
        List<String> partitioning = contract == null ? List.of() : contract.partitioning();
        return name == null && description == null && partitioning.isEmpty() ? null
                : new OutputPort(name, description, partitioning);
    }
}
