package dev.meshplatform.app.web;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML body as the JSON tree it stands for, read from the parser's events with an explicit stack (no recursion a
 * deep document could overflow). Anchors and aliases are expanded, within a bound on what the expansion adds up to:
 * a few bytes of aliases cannot stand for gigabytes of tree. Duplicate keys, recursive aliases, tags other than
 * YAML's core types and documents after the first are refused. Plain scalars resolve by YAML's JSON schema: what
 * is not a JSON number, {@code true}, {@code false} or {@code null} is text.
 */
final class YamlTrees {

    /** Nodes and characters a body may expand to, aliases counted as often as they are used. */
    static final long MAX_NODES = 100_000;
    static final long MAX_CHARACTERS = 4L * 1024 * 1024;
    static final int MAX_DEPTH = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Why a body is not a YAML document the API reads, in plain words. */
    static final class MalformedYamlException extends RuntimeException {
        MalformedYamlException(String message) {
            super(message);
        }
    }

    private final LoadSettings settings;
    private final ScalarResolver scalars;

    YamlTrees() {
        this.settings = LoadSettings.builder().setUseMarks(true).setParseComments(false)
                .setCodePointLimit(Integer.MAX_VALUE).build();
        this.scalars = settings.getSchema().getScalarResolver();
    }

    /** The tree of a YAML text; empty when the text holds no document. */
    Optional<JsonNode> read(String text) {
        try {
            return new Reading().read(new Parse(settings).parseString(text));
        } catch (YamlEngineException e) {
            throw new MalformedYamlException("the body is not well-formed YAML: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline) + " (" + line.substring(newline + 1).strip()
                .replaceAll("\\s+", " ") + ")";
    }

    private static final class Frame {
        final ContainerNode<?> node;
        final String anchor;
        final long nodesBefore;
        final long charactersBefore;
        String key;

        Frame(ContainerNode<?> node, String anchor, long nodesBefore, long charactersBefore) {
            this.node = node;
            this.anchor = anchor;
            this.nodesBefore = nodesBefore;
            this.charactersBefore = charactersBefore;
        }
    }

    /** A finished anchored node and what it counts each time an alias repeats it. */
    private record Anchored(JsonNode node, long nodes, long characters) {
    }

    private final class Reading {
        private final Deque<Frame> open = new ArrayDeque<>();
        private final Map<String, Anchored> anchors = new HashMap<>();
        private JsonNode root;
        private int documents;
        private long nodes;
        private long characters;

        Optional<JsonNode> read(Iterable<Event> events) {
            for (Event event : events) {
                switch (event.getEventId()) {
                    case DocumentStart -> {
                        if (++documents > 1) {
                            throw new MalformedYamlException("the body holds more than one YAML document");
                        }
                    }
                    case MappingStart -> start((CollectionStartEvent) event, NODES.objectNode());
                    case SequenceStart -> start((CollectionStartEvent) event, NODES.arrayNode());
                    case MappingEnd, SequenceEnd -> end();
                    case Scalar -> scalar((ScalarEvent) event);
                    case Alias -> alias((AliasEvent) event);
                    default -> {
                        // Stream and document ends carry nothing; comments are not parsed.
                    }
                }
            }
            return Optional.ofNullable(root);
        }

        private void start(CollectionStartEvent event, ContainerNode<?> node) {
            Frame parent = open.peek();
            if (parent != null && parent.node instanceof ObjectNode && parent.key == null) {
                throw new MalformedYamlException("a mapping or a list is used as a key; keys are text");
            }
            if (open.size() >= MAX_DEPTH) {
                throw new MalformedYamlException("the body nests deeper than " + MAX_DEPTH + " levels");
            }
            event.getTag().filter(tag -> !tag.equals("!") && !tag.equals(Tag.MAP.getValue())
                    && !tag.equals(Tag.SEQ.getValue())).ifPresent(YamlTrees::unsupportedTag);
            count(1, 0);
            open.push(new Frame(node, anchorOf(event), nodes, characters));
        }

        private void end() {
            Frame frame = open.pop();
            if (frame.key != null) {
                throw new MalformedYamlException("a mapping ends after the key '" + frame.key + "' without its value");
            }
            if (frame.anchor != null) {
                anchors.put(frame.anchor, new Anchored(frame.node, nodes - frame.nodesBefore + 1,
                        characters - frame.charactersBefore));
            }
            add(frame.node);
        }

        private void scalar(ScalarEvent event) {
            String value = event.getValue();
            Frame parent = open.peek();
            if (parent != null && parent.node instanceof ObjectNode && parent.key == null) {
                // A mapping's key: kept until its value arrives.
                if (event.getAnchor().isPresent()) {
                    throw new MalformedYamlException("an anchor on a mapping key is not supported");
                }
                count(0, value.length());
                parent.key = value;
                return;
            }
            JsonNode node = typed(event);
            count(1, value.length());
            String anchor = anchorOf(event);
            if (anchor != null) {
                anchors.put(anchor, new Anchored(node, 1, value.length()));
            }
            add(node);
        }

        private void alias(AliasEvent event) {
            String name = event.getAlias().getValue();
            Anchored anchored = anchors.get(name);
            if (anchored == null) {
                boolean recursive = open.stream().anyMatch(frame -> name.equals(frame.anchor));
                throw new MalformedYamlException(recursive ? "the alias *" + name + " refers to a node that holds it"
                        : "the alias *" + name + " has no anchor before it");
            }
            Frame parent = open.peek();
            if (parent != null && parent.node instanceof ObjectNode && parent.key == null) {
                if (!anchored.node().isValueNode() || anchored.node().isNull()) {
                    throw new MalformedYamlException("the alias *" + name + " is used as a key; keys are text");
                }
                count(0, anchored.characters());
                parent.key = anchored.node().asString();
                return;
            }
            count(anchored.nodes(), anchored.characters());
            // The expanded tree shares the anchored node: the bound counts it in full, memory holds it once.
            add(anchored.node());
        }

        private void add(JsonNode node) {
            Frame parent = open.peek();
            if (parent == null) {
                root = node;
            } else if (parent.node instanceof ArrayNode array) {
                array.add(node);
            } else {
                ObjectNode object = (ObjectNode) parent.node;
                if (object.has(parent.key)) {
                    throw new MalformedYamlException("duplicate key '" + parent.key + "'");
                }
                object.set(parent.key, node);
                parent.key = null;
            }
        }

        private void count(long moreNodes, long moreCharacters) {
            nodes += moreNodes;
            characters += moreCharacters;
            if (nodes > MAX_NODES || characters > MAX_CHARACTERS) {
                throw new MalformedYamlException("the body expands to more than " + MAX_NODES + " values or "
                        + MAX_CHARACTERS + " characters (anchors and aliases count each time they are used)");
            }
        }

        private JsonNode typed(ScalarEvent event) {
            String value = event.getValue();
            String tag = event.getTag().orElse(null);
            Tag resolved;
            if (tag == null || tag.equals("!")) {
                resolved = event.isPlain() && tag == null ? scalars.resolve(value, true) : Tag.STR;
            } else {
                resolved = new Tag(tag);
            }
            if (resolved.equals(Tag.STR)) {
                return NODES.stringNode(value);
            }
            if (resolved.equals(Tag.NULL)) {
                return NODES.nullNode();
            }
            if (resolved.equals(Tag.BOOL)) {
                return NODES.booleanNode(value.equalsIgnoreCase("true"));
            }
            try {
                if (resolved.equals(Tag.INT)) {
                    return integer(value);
                }
                if (resolved.equals(Tag.FLOAT)) {
                    return NODES.numberNode(new BigDecimal(value));
                }
            } catch (NumberFormatException e) {
                throw new MalformedYamlException("'" + value + "' is not a number JSON can hold");
            }
            return unsupportedTag(tag);
        }
    }

    private static JsonNode integer(String text) {
        String digits = text.startsWith("+") ? text.substring(1) : text;
        BigInteger value;
        if (digits.startsWith("0x")) {
            value = new BigInteger(digits.substring(2), 16);
        } else if (digits.startsWith("0o")) {
            value = new BigInteger(digits.substring(2), 8);
        } else {
            value = new BigInteger(digits);
        }
        return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    private static String anchorOf(NodeEvent event) {
        return event.getAnchor().map(Anchor::getValue).orElse(null);
    }

    private static JsonNode unsupportedTag(String tag) {
        throw new MalformedYamlException("the YAML tag " + tag + " is not supported: use plain values");
    }
}
