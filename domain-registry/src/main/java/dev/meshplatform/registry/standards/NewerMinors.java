package dev.meshplatform.registry.standards;

import dev.meshplatform.registry.api.RegistryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A document of a newer minor of its standard than the platform maps (ODCS v3.2+, ODPS v1.1+): the top-level fields
 * the mapped version does not define become custom properties named {@code <apiVersion>.<field>}, so that they are
 * kept and exports stay valid documents of the mapped version.
 */
record NewerMinors(int major, int mappedMinor, Set<String> topLevelFields) {

    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.\\d+");

    static final NewerMinors ODCS = new NewerMinors(3, 1, Set.of("apiVersion", "authoritativeDefinitions",
            "contractCreatedTs", "customProperties", "dataProduct", "description", "domain", "id", "kind", "name",
            "price", "roles", "schema", "servers", "slaDefaultElement", "slaProperties", "status", "support", "tags",
            "team", "tenant", "version"));

    static final NewerMinors ODPS = new NewerMinors(1, 0, Set.of("apiVersion", "kind", "id", "name", "version",
            "status", "domain", "tenant", "authoritativeDefinitions", "description", "customProperties", "tags",
            "inputPorts", "outputPorts", "managementPorts", "support", "team", "productCreatedTs"));

    /**
     * An export as a document of {@code apiVersion}, a newer minor of the mapped version: the custom properties an
     * import of that version made of its new fields are those fields again. The export itself for the mapped version.
     */
    ObjectNode unfold(ObjectNode exported, String apiVersion) {
        if (apiVersion == null || apiVersion.equals(exported.path("apiVersion").asString())) {
            return exported;
        }
        Matcher version = VERSION.matcher(apiVersion);
        if (!version.matches() || Integer.parseInt(version.group(1)) != major
                || Integer.parseInt(version.group(2)) <= mappedMinor) {
            throw RegistryException.invalid("no such export version", List.of(new RegistryException.FieldProblem(
                    "apiVersion", "the mapped version or a newer minor of it (v" + major + "." + (mappedMinor + 1)
                            + ".0 or later v" + major + ")")));
        }
        ObjectNode document = exported.deepCopy();
        document.put("apiVersion", apiVersion);
        if (document.get("customProperties") instanceof ArrayNode custom) {
            String prefix = apiVersion + ".";
            for (int i = custom.size() - 1; i >= 0; i--) {
                String property = custom.get(i).path("property").asString("");
                String field = property.substring(Math.min(prefix.length(), property.length()));
                if (property.startsWith(prefix) && !topLevelFields.contains(field)) {
                    document.set(field, custom.get(i).get("value"));
                    custom.remove(i);
                }
            }
            if (custom.isEmpty()) {
                document.remove("customProperties");
            }
        }
        return document;
    }

    /** Whether the document declares a newer minor of this standard's major than the platform maps. */
    boolean isNewer(JsonNode document) {
        Matcher version = VERSION.matcher(document.path("apiVersion").asString(""));
        return version.matches() && Integer.parseInt(version.group(1)) == major
                && Integer.parseInt(version.group(2)) > mappedMinor;
    }

    /**
     * The document with its unknown top-level fields as custom properties, and a warning for each; the document
     * itself when it is not of a newer minor.
     */
    JsonNode fold(JsonNode document, List<String> warnings) {
        if (!document.isObject() || !isNewer(document)
                || document.has("customProperties") && !document.get("customProperties").isArray()) {
            // Custom properties that are no list are the reading's to refuse, not this fold's to replace.
            return document;
        }
        String apiVersion = document.get("apiVersion").asString();
        warnings.add("apiVersion: " + apiVersion + " is read as v" + major + "." + mappedMinor
                + ", the version exports declare");
        ObjectNode folded = ((ObjectNode) document).deepCopy();
        List<String> unknown = new ArrayList<>();
        folded.propertyNames().forEach(name -> {
            if (!topLevelFields.contains(name)) {
                unknown.add(name);
            }
        });
        if (unknown.isEmpty()) {
            return folded;
        }
        ArrayNode custom = folded.get("customProperties") instanceof ArrayNode given ? given
                : folded.putArray("customProperties");
        for (String name : unknown) {
            custom.addObject().put("property", apiVersion + "." + name).set("value", folded.remove(name));
            warnings.add(name + ": not in v" + major + "." + mappedMinor + ", kept as the custom property "
                    + apiVersion + "." + name);
        }
        return folded;
    }
}
