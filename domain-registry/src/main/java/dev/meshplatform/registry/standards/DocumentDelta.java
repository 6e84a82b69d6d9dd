package dev.meshplatform.registry.standards;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
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
 *
 * <p>The descriptor goes on changing after the import, so each part remembers where it was: the name of every list
 * item on its way ({@code anchors}: a part follows its column when columns move, and is dropped with it), and what
 * the export said at its place ({@code was}: a part that overrode a value the descriptor has changed since is
 * dropped, the descriptor wins).
 */
record DocumentDelta(Map<String, JsonNode> set, List<String> remove, Map<String, List<String>> anchors,
                     Map<String, JsonNode> was, boolean guarded) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Lists whose items the server names (the table, its servers, the product's one output port): by position. */
    private static final Set<String> POSITIONAL = Set.of("/schema", "/servers", "/outputPorts");

    DocumentDelta {
        set = new LinkedHashMap<>(set);
        remove = new ArrayList<>(remove);
        anchors = new LinkedHashMap<>(anchors);
        was = new LinkedHashMap<>(was);
    }

    boolean isEmpty() {
        return set.isEmpty() && remove.isEmpty();
    }

    /** The difference from {@code exported} to {@code original}, leaving out the paths in {@code serverOwned}. */
    static DocumentDelta between(JsonNode exported, JsonNode original, Set<String> serverOwned) {
        DocumentDelta delta = new DocumentDelta(Map.of(), List.of(), Map.of(), Map.of(), true);
        delta.compare("", exported, original, serverOwned);
        for (String pointer : delta.pointers()) {
            List<String> names = anchorsOf(exported, pointer);
            if (names.stream().anyMatch(java.util.Objects::nonNull)) {
                delta.anchors.put(pointer, names);
            }
            JsonNode before = exported.at(pointer);
            if (!before.isMissingNode()) {
                delta.was.put(pointer, before);
            }
        }
        return delta;
    }

    private List<String> pointers() {
        List<String> all = new ArrayList<>(set.keySet());
        all.addAll(remove);
        return all;
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

    /** Lays the delta over {@code document}: each part at its item's place now, unless its place is gone or changed. */
    void applyTo(ObjectNode document) {
        // Places are found in the export as it is, before any part changes a name they are found by.
        ObjectNode export = document.deepCopy();
        List<JsonPointer> removals = new ArrayList<>();
        for (String path : remove) {
            JsonPointer pointer = placed(export, path);
            if (pointer != null && unchanged(export, path, pointer)) {
                removals.add(pointer);
            }
        }
        Map<JsonPointer, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : set.entrySet()) {
            JsonPointer pointer = entry.getKey().isEmpty() ? null : placed(export, entry.getKey());
            if (pointer != null && unchanged(export, entry.getKey(), pointer)) {
                values.put(pointer, entry.getValue());
            }
        }
        for (JsonPointer pointer : removals) {
            if (document.at(pointer.head()) instanceof ObjectNode object) {
                object.remove(pointer.last().getMatchingProperty());
            }
        }
        values.forEach((pointer, value) -> {
            JsonNode parent = document.at(pointer.head());
            String last = pointer.last().getMatchingProperty();
            if (parent instanceof ObjectNode object) {
                object.set(last, value.deepCopy());
            } else if (parent instanceof ArrayNode array) {
                int index = pointer.last().getMatchingIndex();
                if (index >= 0 && index < array.size()) {
                    array.set(index, value.deepCopy());
                } else if (index == array.size()) {
                    array.add(value.deepCopy());
                }
            }
        });
    }

    /** Whether the export at the part's place says what it said at the import (always, for parts stored before). */
    private boolean unchanged(JsonNode document, String path, JsonPointer pointer) {
        if (!guarded) {
            return true;
        }
        JsonNode now = document.at(pointer);
        JsonNode then = was.get(path);
        return then == null ? now.isMissingNode() : sameValue(now, then);
    }

    /**
     * {@code path} with each list step moved to the item of the same name; null when an item it went through is gone.
     */
    private JsonPointer placed(JsonNode document, String path) {
        List<String> names = anchors.get(path);
        JsonPointer pointer = JsonPointer.compile(path);
        if (names == null) {
            return pointer;
        }
        StringBuilder placed = new StringBuilder();
        JsonNode node = document;
        int step = 0;
        for (JsonPointer at = pointer; at != null && !at.matches(); at = at.tail()) {
            String segment = at.getMatchingProperty();
            if (node instanceof ArrayNode array && at.getMatchingIndex() >= 0) {
                int index = at.getMatchingIndex();
                String name = step < names.size() ? names.get(step) : null;
                step++;
                if (name != null && !name.equals(identity(index < array.size() ? array.get(index) : null))) {
                    index = -1;
                    for (int i = 0; i < array.size(); i++) {
                        if (name.equals(identity(array.get(i)))) {
                            index = i;
                            break;
                        }
                    }
                    if (index < 0) {
                        return null;
                    }
                }
                segment = String.valueOf(index);
                node = index < array.size() ? array.get(index) : MissingNode.getInstance();
            } else {
                node = node == null ? MissingNode.getInstance() : node.path(segment);
            }
            placed.append('/').append(escape(segment));
        }
        return JsonPointer.compile(placed.toString());
    }

    /** For each list step of {@code path} in {@code document}, the name of the item it goes through (or null). */
    private static List<String> anchorsOf(JsonNode document, String path) {
        List<String> names = new ArrayList<>();
        StringBuilder parent = new StringBuilder();
        JsonNode node = document;
        for (JsonPointer at = JsonPointer.compile(path); at != null && !at.matches(); at = at.tail()) {
            if (node instanceof ArrayNode array && at.getMatchingIndex() >= 0) {
                int index = at.getMatchingIndex();
                JsonNode item = index < array.size() ? array.get(index) : null;
                names.add(POSITIONAL.contains(parent.toString()) ? null : identity(item));
                node = item == null ? MissingNode.getInstance() : item;
            } else {
                node = node.path(at.getMatchingProperty());
            }
            parent.append('/').append(escape(at.getMatchingProperty()));
        }
        return names;
    }

    /** What names a list item: a column's or check's {@code name}, a custom property's {@code property}, a member. */
    private static String identity(JsonNode item) {
        if (item == null || !item.isObject()) {
            return null;
        }
        for (String key : List.of("name", "property", "username")) {
            if (item.get(key) != null && item.get(key).isString()) {
                return key + ":" + item.get(key).asString();
            }
        }
        return null;
    }

    /** As stored in the descriptor: {@code {"set": {pointer: value}, "remove": [pointer], "anchors", "was"}}. */
    JsonNode toTree() {
        ObjectNode tree = NODES.objectNode();
        ObjectNode values = tree.putObject("set");
        set.forEach(values::set);
        ArrayNode removed = tree.putArray("remove");
        // Sorted: removals are independent of each other, and the stored form then depends on the paths only.
        remove.stream().sorted().forEach(removed::add);
        ObjectNode names = tree.putObject("anchors");
        anchors.forEach((pointer, list) -> {
            ArrayNode items = names.putArray(pointer);
            list.forEach(items::add);
        });
        ObjectNode before = tree.putObject("was");
        was.forEach(before::set);
        return tree;
    }

    /** The delta stored in a descriptor, or an empty one when the value is not one. */
    static DocumentDelta fromTree(JsonNode tree) {
        boolean guarded = tree != null && tree.isObject() && tree.has("was");
        DocumentDelta delta = new DocumentDelta(Map.of(), List.of(), Map.of(), Map.of(), guarded);
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
        if (tree.get("anchors") instanceof ObjectNode names) {
            for (Map.Entry<String, JsonNode> entry : names.properties()) {
                if (entry.getValue().isArray()) {
                    List<String> list = new ArrayList<>();
                    entry.getValue().forEach(name -> list.add(name.isString() ? name.asString() : null));
                    delta.anchors.put(entry.getKey(), list);
                }
            }
        }
        if (tree.get("was") instanceof ObjectNode before) {
            before.properties().forEach(entry -> delta.was.put(entry.getKey(), entry.getValue()));
        }
        return delta;
    }

    /**
     * Equal all the way down, numbers by value: 4, 4.0 and a long 4 are the same number once written (and a stored
     * descriptor gives numbers back in types of its own).
     */
    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> entry : a.properties()) {
                JsonNode other = b.get(entry.getKey());
                if (other == null || !sameValue(entry.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
