package dev.meshplatform.registry.standards;

import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.QualityRule;
import dev.meshplatform.registry.api.SchemaField;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a descriptor's field sits in the documents it was imported from: the checks that follow an import (the
 * descriptor's validation, the SQL checks) name descriptor paths, and whoever sent ODCS or ODPS documents reads their
 * own paths instead. As near as the document has a place: a field ODCS carries in a custom property names it.
 */
final class DocumentPaths {

    private static final Pattern CONTACT = Pattern.compile("owner\\.contacts\\[(\\d+)](?:\\.(\\w+))?.*");
    private static final Pattern FIELD = Pattern.compile("schema((?:\\[\\d+]|\\.fields\\[\\d+]|\\.items)+)(.*)");
    private static final Pattern STEP = Pattern.compile("\\[(\\d+)]|\\.fields|\\.items");
    private static final Pattern QUALITY = Pattern.compile("quality\\[(\\d+)](?:\\.(\\w+))?.*");
    private static final Pattern INPUT = Pattern.compile("inputPorts\\[(\\d+)].*");

    private DocumentPaths() {
    }

    /** The path in the ODCS document of {@code d}'s contract of a descriptor path. */
    static String inContract(ProductDescriptor d, String path) {
        if (path.equals("title")) {
            return "name";
        }
        if (path.equals("description")) {
            return "description.purpose";
        }
        if (path.startsWith("tags") || path.startsWith("support")) {
            return path;
        }
        if (path.startsWith("owner")) {
            return team(path);
        }
        Matcher field = FIELD.matcher(path);
        if (field.matches()) {
            return property(field.group(1)) + switch (field.group(2)) {
                case ".type" -> ".physicalType";
                case ".fields" -> ".properties";
                default -> field.group(2);
            };
        }
        Matcher quality = QUALITY.matcher(path);
        if (quality.matches()) {
            return quality(d, Integer.parseInt(quality.group(1)), quality.group(2));
        }
        if (path.startsWith("slos") || path.startsWith("retention") || path.equals("transformation.schedule")) {
            return "slaProperties";
        }
        if (path.startsWith("outputPort.partitioning")) {
            return "schema[0].properties";
        }
        if (path.startsWith("outputPort.description")) {
            return "schema[0].description";
        }
        if (path.startsWith("transformation") || path.startsWith("inputPorts") || path.startsWith("outputPort")
                || path.startsWith("customProperties")) {
            return "customProperties";
        }
        return path;
    }

    /**
     * The path in a bundle: fields the product document gave ({@code productFields} names its top-level keys) in it,
     * the rest in the contract.
     */
    static String inBundle(ProductDescriptor d, String path, int productAt, List<String> productFields,
                           int contractAt) {
        String product = "[" + productAt + "].";
        if (path.equals("title") && productFields.contains("name")) {
            return product + "name";
        }
        if (path.equals("description") && productFields.contains("description")) {
            return product + "description.purpose";
        }
        if (path.startsWith("tags") && productFields.contains("tags")
                || path.startsWith("support") && productFields.contains("support")
                || path.startsWith("customProperties") && productFields.contains("customProperties")) {
            return product + path;
        }
        if (path.startsWith("owner") && productFields.contains("team")) {
            return product + team(path);
        }
        Matcher input = INPUT.matcher(path);
        if (input.matches() && productFields.contains("inputPorts")) {
            return product + "inputPorts[" + input.group(1) + "]";
        }
        if ((path.startsWith("outputPort.name") || path.startsWith("outputPort.description"))
                && productFields.contains("outputPorts")) {
            return product + path.replace("outputPort.", "outputPorts[0].");
        }
        return "[" + contractAt + "]." + inContract(d, path);
    }

    private static String team(String path) {
        if (path.startsWith("owner.team")) {
            return "team.name";
        }
        Matcher contact = CONTACT.matcher(path);
        if (contact.matches()) {
            String member = "team.members[" + contact.group(1) + "]";
            return contact.group(2) == null ? member : member + "." + switch (contact.group(2)) {
                case "email" -> "username";
                default -> contact.group(2);
            };
        }
        return "team";
    }

    /** {@code [2].fields[0]} → {@code schema[0].properties[2].properties[0]}. */
    private static String property(String steps) {
        StringBuilder path = new StringBuilder("schema[0]");
        Matcher step = STEP.matcher(steps);
        while (step.find()) {
            if (step.group(1) != null) {
                path.append(".properties[").append(step.group(1)).append(']');
            } else if (step.group().equals(".items")) {
                path.append(".items");
            }
        }
        return path.toString();
    }

    /** Where the export places rule {@code index}: on its column's property, in order, or on the table. */
    private static String quality(ProductDescriptor d, int index, String key) {
        if (index >= d.quality().size()) {
            return "schema[0].quality";
        }
        QualityRule rule = d.quality().get(index);
        String column = rule.column() == null ? null : columnPath(d.schema(), rule.column());
        int before = 0;
        for (int i = 0; i < index; i++) {
            QualityRule earlier = d.quality().get(i);
            String earlierColumn = earlier.column() == null ? null : columnPath(d.schema(), earlier.column());
            if (Objects.equals(earlierColumn, column)) {
                before++;
            }
        }
        String at = (column == null ? "schema[0]" : column) + ".quality[" + before + "]";
        return "query".equals(key) ? at + ".query" : at;
    }

    /** {@code customer.email} → {@code schema[0].properties[4].properties[0]}; null when there is no such column. */
    private static String columnPath(List<SchemaField> fields, String column) {
        StringBuilder path = new StringBuilder("schema[0]");
        List<SchemaField> level = fields;
        for (String part : column.split("\\.")) {
            int found = -1;
            for (int i = 0; level != null && i < level.size(); i++) {
                if (part.equals(level.get(i).name())) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                return null;
            }
            path.append(".properties[").append(found).append(']');
            level = level.get(found).fields();
        }
        return path.toString();
    }
}
