package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.DescriptorChange;
import dev.meshplatform.registry.api.DescriptorChange.Kind;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The differences between two descriptor trees, as JSON Pointer paths; what a dry run shows. */
final class DescriptorDiff {

    private DescriptorDiff() {
    }

    static List<DescriptorChange> between(JsonNode before, JsonNode after) {
        List<DescriptorChange> changes = new ArrayList<>();
        compare("", before, after, changes);
        return changes;
    }

    private static void compare(String path, JsonNode before, JsonNode after, List<DescriptorChange> changes) {
        boolean hadBefore = before != null && !before.isNull() && !before.isMissingNode();
        boolean hasAfter = after != null && !after.isNull() && !after.isMissingNode();
        if (!hadBefore && !hasAfter) {
            return;
        }
        if (!hadBefore) {
            changes.add(new DescriptorChange(pathOrRoot(path), Kind.ADDED, null, after));
        } else if (!hasAfter) {
            changes.add(new DescriptorChange(pathOrRoot(path), Kind.REMOVED, before, null));
        } else if (before.isObject() && after.isObject()) {
            Set<String> names = new LinkedHashSet<>(before.propertyNames());
            names.addAll(after.propertyNames());
            for (String name : names) {
                compare(path + "/" + escape(name), before.get(name), after.get(name), changes);
            }
        } else if (before.isArray() && after.isArray()) {
            for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
                compare(path + "/" + i, before.get(i), after.get(i), changes);
            }
        } else if (!before.equals(after)) {
            changes.add(new DescriptorChange(pathOrRoot(path), Kind.CHANGED, before, after));
        }
    }

    private static String pathOrRoot(String path) {
        return path.isEmpty() ? "/" : path;
    }

    // RFC 6901: '~' and '/' inside a name are escaped.
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
