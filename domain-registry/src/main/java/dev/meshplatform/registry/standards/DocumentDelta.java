package dev.meshplatform.registry.standards;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an imported document holds beyond what its descriptor exports again: values to set and keys to remove, by
 * JSON Pointer. Objects are compared key by key and lists of the same length item by item, so that a kept part is
 * as small as the difference; a list of another length is kept whole. Laid over the export, it gives the document
 * back.
 */
record DocumentDelta(Map<String, JsonNode> set, List<String> remove) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    DocumentDelta {
        set = new LinkedHashMap<>(set);
        remove = new ArrayList<>(remove);
    }

    boolean isEmpty() {
        return set.isEmpty() && remove.isEmpty();
    }

    /** The difference from {@code exported} to {@code original}, leaving out the paths in {@code serverOwned}. */
    static DocumentDelta between(JsonNode exported, JsonNode original, Set<String> serverOwned) {
        DocumentDelta delta = new DocumentDelta(Map.of(), List.of());
        delta.compare("", exported, original, serverOwned);
        return delta;
    }

    private void compare(String path, JsonNode exported, JsonNode original, Set<String> serverOwned) {
        if (serverOwned.contains(path)) {
            return;
        }
        if (exported.isObject() && original.isObject()) {
            for (Map.Entry<String, JsonNode> entry : original.properties()) {
                String child = path + "/" + escape(entry.getKey());
                JsonNode before = exported.get(entry.getKey());
                if (before == null) {
                    if (!serverOwned.contains(child)) {
                        set.put(child, entry.getValue());
                    }
                } else {
                    compare(child, before, entry.getValue(), serverOwned);
                }
            }
            for (String name : exported.propertyNames()) {
                String child = path + "/" + escape(name);
                if (!original.has(name) && !serverOwned.contains(child)) {
                    remove.add(child);
                }
            }
        } else if (exported.isArray() && original.isArray() && exported.size() == original.size()) {
            for (int i = 0; i < original.size(); i++) {
                compare(path + "/" + i, exported.get(i), original.get(i), serverOwned);
            }
        } else if (!sameValue(exported, original)) {
            set.put(path, original);
        }
    }

    /** Lays the delta over {@code document}; paths whose parent is gone (the descriptor changed since) are skipped. */
    void applyTo(ObjectNode document) {
        for (String path : remove) {
            JsonNode parent = document.at(JsonPointer.compile(path).head());
            if (parent instanceof ObjectNode object) {
                object.remove(JsonPointer.compile(path).last().getMatchingProperty());
            }
        }
        for (Map.Entry<String, JsonNode> entry : set.entrySet()) {
            if (entry.getKey().isEmpty()) {
                continue;
            }
            JsonPointer pointer = JsonPointer.compile(entry.getKey());
            JsonNode parent = document.at(pointer.head());
            String last = pointer.last().getMatchingProperty();
            if (parent instanceof ObjectNode object) {
                object.set(last, entry.getValue().deepCopy());
            } else if (parent instanceof ArrayNode array) {
                int index = pointer.last().getMatchingIndex();
                if (index >= 0 && index < array.size()) {
                    array.set(index, entry.getValue().deepCopy());
                } else if (index == array.size()) {
                    array.add(entry.getValue().deepCopy());
                }
            }
        }
    }

    /** As stored in the descriptor: {@code {"set": {pointer: value}, "remove": [pointer]}}. */
    JsonNode toTree() {
        ObjectNode tree = NODES.objectNode();
        ObjectNode values = tree.putObject("set");
        set.forEach(values::set);
        ArrayNode removed = tree.putArray("remove");
        // Sorted: removals are independent of each other, and the stored form then depends on the paths only.
        remove.stream().sorted().forEach(removed::add);
        return tree;
    }

    /** The delta stored in a descriptor, or an empty one when the value is not one. */
    static DocumentDelta fromTree(JsonNode tree) {
        DocumentDelta delta = new DocumentDelta(Map.of(), List.of());
        if (tree == null || !tree.isObject()) {
            return delta;
        }
        JsonNode values = tree.get("set");
        if (values != null && values.isObject()) {
            for (Map.Entry<String, JsonNode> entry : values.properties()) {
                if (entry.getKey().startsWith("/")) {
                    delta.set.put(entry.getKey(), entry.getValue());
                }
            }
        }
        JsonNode removed = tree.get("remove");
        if (removed != null && removed.isArray()) {
            for (JsonNode path : removed) {
                if (path.isString() && path.asString().startsWith("/")) {
                    delta.remove.add(path.asString());
                }
            }
        }
        return delta;
    }

    /** Equal, numbers by value: 4, 4.0 and a long 4 are the same number once written. */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
