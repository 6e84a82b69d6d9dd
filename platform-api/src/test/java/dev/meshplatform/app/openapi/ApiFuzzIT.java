package dev.meshplatform.app.openapi;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.app.testsupport.RawHttp;
import dev.meshplatform.app.testsupport.RawHttp.Answer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad requests generated from the live OpenAPI document, for every operation and every role: wrong types, missing,
 * null and unknown fields, huge and control-character strings, bad path and query values, bad percent-encodings,
 * bad content types and Accept headers. Every answer must be below 500; every 4xx an RFC 9457 problem with a
 * {@code code}, of a status the operation documents; and the platform must be healthy afterwards. Each operation
 * gets at least {@value #MIN_PER_OPERATION} requests that pass authorization, as a role allowed to call it, so that
 * they reach its own validation. Seeded ({@code -Dmesh.fuzz.seed=…}) and reproducible; it prints its counts.
 */
class ApiFuzzIT extends PlatformIT {

    static final int MIN_PER_OPERATION = 20;
    private static final long SEED = Long.getLong("mesh.fuzz.seed", 20261129L);
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");
    /** Codes of refusals by the container or the firewall, before any operation sees the request. */
    private static final Set<String> BEFORE_THE_OPERATION = Set.of("rejected-url", "bad-request", "uri-too-long",
            "headers-too-large");
    private static final String HUGE = "x".repeat(70_000);
    private static final String CONTROL = "a\u0000b\u0007c\u001b[31m";

    private final Random random = new Random(SEED);

    /** One bad request: what it is, and the bytes to send. */
    private record Attempt(String what, String method, String target, Map<String, String> headers, byte[] body) {
    }

    /** The fixtures every path parameter names: real resources, so that requests get past the 404s. */
    private record Fixtures(Map<String, String> pathValues, Map<String, String> keys) {
    }

    @Test
    void noBadRequestGetsA5xxOrAnUndocumentedAnswer() {
        JsonNode document = api.get("/v3/api-docs", null).json();
        Fixtures fixtures = fixtures(document);
        RawHttp http = new RawHttp(port);
        Set<String> policiesBefore = policyIds();

        List<String> failures = new ArrayList<>();
        Map<String, Map<String, Integer>> reachedByRole = new TreeMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        for (Map.Entry<String, JsonNode> path : ordered(document)) {
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                String id = operation.path("operationId").asString();
                List<Attempt> attempts = attempts(document, path.getKey(), method, operation, fixtures);
                for (Map.Entry<String, String> role : fixtures.keys().entrySet()) {
                    int reached = 0;
                    for (Attempt attempt : attempts) {
                        Map<String, String> headers = new LinkedHashMap<>(attempt.headers());
                        headers.put("Authorization", "Bearer " + role.getValue());
                        Answer answer = http.send(attempt.method(), attempt.target(), headers, attempt.body());
                        sent++;
                        statuses.merge(answer.status(), 1, Integer::sum);
                        String wrong = judge(operation, answer);
                        if (!wrong.isEmpty()) {
                            failures.add(id + " as " + role.getKey() + ", " + attempt.what() + ": " + wrong);
                        }
                        if (answer.status() != 401 && answer.status() != 403
                                && !BEFORE_THE_OPERATION.contains(codeOf(answer))) {
                            reached++;
                        }
                    }
                    reachedByRole.computeIfAbsent(id, k -> new TreeMap<>()).put(role.getKey(), reached);
                }
            }
        }
        policiesBefore.remove(fixtures.pathValues().get("policyId"));
        restorePolicies(policiesBefore);

        System.out.printf("API fuzz (seed %d): %d requests over %d operations and %d roles; statuses %s%n", SEED,
                sent, reachedByRole.size(), fixtures.keys().size(), statuses);
        reachedByRole.forEach((id, byRole) -> System.out.printf("  %-28s reached validation %s%n", id, byRole));
        failures.stream().limit(200).forEach(failure -> System.out.println("  FAILED " + failure));
        List<String> tooFew = reachedByRole.entrySet().stream()
                .filter(e -> e.getValue().values().stream().mapToInt(Integer::intValue).max().orElse(0)
                        < MIN_PER_OPERATION)
                .map(e -> e.getKey() + " " + e.getValue()).toList();
        assertThat(reachedByRole).as("operations fuzzed").hasSizeGreaterThan(40);
        assertThat(tooFew).as("operations with fewer than %d requests past authorization", MIN_PER_OPERATION)
                .isEmpty();
        assertThat(failures).as("answers that break the contract (%d of %d)", failures.size(), sent)
                .isEmpty();
        assertThat(api.get("/actuator/health", null).json().path("status").asString()).isEqualTo("UP");
        assertThat(api.get("/api/v1/me", ADMIN_KEY).status()).isEqualTo(200);
    }

    /** What breaks the contract in an answer: a 5xx, a 4xx that is no problem, a status the operation omits. */
    private static String judge(JsonNode operation, Answer answer) {
        if (answer.status() >= 500) {
            return "answered " + answer.status() + " " + RawHttp.abbreviate(answer.body());
        }
        if (answer.status() >= 400) {
            String problem = RawHttp.problemOf(answer, answer.status(), null);
            if (!problem.isEmpty()) {
                return problem;
            }
        }
        String status = String.valueOf(answer.status());
        if (!operation.path("responses").has(status) && !BEFORE_THE_OPERATION.contains(codeOf(answer))) {
            return "answered " + status + " (" + codeOf(answer) + "), which the operation does not document";
        }
        return "";
    }

    private static String codeOf(Answer answer) {
        try {
            return Api.JSON.readTree(answer.body()).path("code").asString("");
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    // Writes that could remove a fixture other operations need come last.
    private static List<Map.Entry<String, JsonNode>> ordered(JsonNode document) {
        List<Map.Entry<String, JsonNode>> paths = new ArrayList<>(document.path("paths").properties());
        paths.sort(java.util.Comparator.comparing(path -> path.getValue().has("delete")
                || path.getKey().endsWith("/revoke") || path.getKey().endsWith("/stop")));
        return paths;
    }

    private List<Attempt> attempts(JsonNode document, String template, String method, JsonNode operation,
                                   Fixtures fixtures) {
        List<Attempt> attempts = new ArrayList<>();
        List<JsonNode> parameters = new ArrayList<>();
        operation.path("parameters").forEach(parameters::add);
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (JsonNode parameter : parameters) {
            if (parameter.path("required").asBoolean(false) && parameter.has("example")) {
                String value = plain(parameter.get("example"));
                if ("query".equals(parameter.path("in").asString())) {
                    query.put(parameter.path("name").asString(), value);
                } else if ("header".equals(parameter.path("in").asString())) {
                    headers.put(parameter.path("name").asString(), value);
                }
            }
        }
        String path = template;
        for (Map.Entry<String, String> value : fixtures.pathValues().entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        JsonNode json = operation.path("requestBody").path("content").path("application/json");
        byte[] body = json.has("example") ? Api.JSON.writeValueAsBytes(json.get("example")) : null;
        Map<String, String> bodyHeaders = new LinkedHashMap<>(headers);
        if (body != null) {
            bodyHeaders.put("Content-Type", "application/json");
        }
        Base base = new Base(method.toUpperCase(Locale.ROOT), path, query, bodyHeaders, body);

        // Path parameters: empty, huge, control characters, traversal, bad encodings.
        for (JsonNode parameter : parameters) {
            if (!"path".equals(parameter.path("in").asString())) {
                continue;
            }
            String name = parameter.path("name").asString();
            for (String bad : List.of("%00", "%FF", "%zz", "..", "%2e%2e", "a%2Fb", "a%0D%0Ab", "%20",
                    "Z".repeat(300), encode(CONTROL), encode("名前"), "-1", "%")) {
                String target = template;
                for (Map.Entry<String, String> value : fixtures.pathValues().entrySet()) {
                    target = target.replace("{" + value.getKey() + "}",
                            value.getKey().equals(name) ? bad : value.getValue());
                }
                attempts.add(base.withPath("path " + name + "=" + RawHttp.abbreviate(bad), target));
            }
        }
        // Query parameters: wrong types, out of range, unknown enum values, huge and control-character strings.
        for (JsonNode parameter : parameters) {
            if (!"query".equals(parameter.path("in").asString())) {
                continue;
            }
            String name = parameter.path("name").asString();
            for (String bad : badValues(parameter.path("schema"))) {
                Map<String, String> changed = new LinkedHashMap<>(query);
                changed.put(name, bad);
                attempts.add(base.withQuery("query " + name + "=" + RawHttp.abbreviate(bad), changed));
            }
        }
        // Header parameters: garbage, control characters, huge.
        for (JsonNode parameter : parameters) {
            String name = parameter.path("name").asString();
            if (!"header".equals(parameter.path("in").asString())) {
                continue;
            }
            for (String bad : List.of("", "garbage", "\"" + "9".repeat(40) + "\"", "W/\"1\"", "\u0001\u0002",
                    "y".repeat(9_000))) {
                Map<String, String> changed = new LinkedHashMap<>(base.headers());
                changed.put(name, bad);
                attempts.add(base.withHeaders("header " + name + "=" + RawHttp.abbreviate(bad), changed));
            }
        }
        // Bodies: built from the example, one field wrong at a time, and whole bodies that are not what was asked.
        if (body != null) {
            attempts.addAll(badBodies(document, base, json));
        }
        // What any operation may get: unknown, duplicated and badly encoded query strings, unacceptable Accept.
        for (String bad : List.of("unknown=1", "%", "a=%FF", "%zz=1", "a=%00", "a=%0d%0a", "page=-1&page=x",
                "size=" + "9".repeat(30), "q=" + encode(CONTROL), "x=" + "q".repeat(9_000), "=", "&&&",
                "a[b]=1", "a=" + encode("'; DROP TABLE domains; --"))) {
            attempts.add(new Attempt("query string " + RawHttp.abbreviate(bad), base.method(),
                    base.path() + "?" + (base.queryString().isEmpty() ? "" : base.queryString() + "&") + bad,
                    base.headers(), base.body()));
        }
        for (String accept : List.of("application/xml", "text/html", "image/png", "not a media type",
                "application/json;q=oops", "*/*;charset=ebcdic", "application/*+xml", "text/event-stream",
                "application/json;q=0", ",,,", "application/problem+json")) {
            Map<String, String> changed = new LinkedHashMap<>(base.headers());
            changed.put("Accept", accept);
            attempts.add(base.withHeaders("Accept " + accept, changed));
        }
        return attempts;
    }

    private List<Attempt> badBodies(JsonNode document, Base base, JsonNode media) {
        List<Attempt> attempts = new ArrayList<>();
        JsonNode example = media.get("example");
        JsonNode schema = resolve(document, media.path("schema"));
        if (example.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            example.properties().forEach(e -> fields.add(e.getKey()));
            schema.path("properties").properties().forEach(e -> fields.add(e.getKey()));
            for (String field : fields) {
                JsonNode value = example.get(field);
                ObjectNode without = ((ObjectNode) example).deepCopy();
                without.remove(field);
                attempts.add(base.withBody("body without " + field, without));
                for (JsonNode bad : wrongValues(value)) {
                    ObjectNode changed = ((ObjectNode) example).deepCopy();
                    changed.set(field, bad);
                    attempts.add(base.withBody("body " + field + "=" + RawHttp.abbreviate(bad.toString()), changed));
                }
            }
            ObjectNode unknown = ((ObjectNode) example).deepCopy();
            unknown.put("unknownField" + random.nextInt(1000), "surprise");
            attempts.add(base.withBody("body with an unknown field", unknown));
        } else if (example.isArray() && !example.isEmpty()) {
            for (JsonNode bad : wrongValues(example.get(0))) {
                ArrayNode changed = ((ArrayNode) example).deepCopy();
                changed.set(0, bad);
                attempts.add(base.withBody("body [0]=" + RawHttp.abbreviate(bad.toString()), changed));
            }
        }
        String text = example.toString();
        Map<String, byte[]> raw = new LinkedHashMap<>();
        raw.put("an empty body", new byte[0]);
        raw.put("a truncated body", text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8));
        raw.put("null", "null".getBytes(StandardCharsets.UTF_8));
        raw.put("a string", "\"text\"".getBytes(StandardCharsets.UTF_8));
        raw.put("the other container", (example.isArray() ? "{}" : "[]").getBytes(StandardCharsets.UTF_8));
        raw.put("trailing garbage", (text + "}]").getBytes(StandardCharsets.UTF_8));
        raw.put("two documents", (text + text).getBytes(StandardCharsets.UTF_8));
        raw.put("a duplicate key", example.isObject() && !example.isEmpty()
                ? ("{\"" + example.properties().iterator().next().getKey() + "\":1," + text.substring(1))
                .getBytes(StandardCharsets.UTF_8) : "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8));
        raw.put("invalid UTF-8", new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        raw.put("deep nesting", ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8));
        raw.put("a body over the limit", ("[\"" + "z".repeat(300 * 1024) + "\"]").getBytes(StandardCharsets.UTF_8));
        raw.forEach((what, bytes) -> attempts.add(new Attempt("body: " + what, base.method(), base.target(),
                base.headers(), bytes)));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data", "application/json; charset=ebcdic", "nonsense", "")) {
            Map<String, String> changed = new LinkedHashMap<>(base.headers());
            changed.put("Content-Type", type);
            attempts.add(new Attempt("Content-Type " + type, base.method(), base.target(), changed, base.body()));
        }
        Map<String, String> none = new LinkedHashMap<>(base.headers());
        none.remove("Content-Type");
        attempts.add(new Attempt("no Content-Type", base.method(), base.target(), none, base.body()));
        return attempts;
    }

    private List<JsonNode> wrongValues(JsonNode value) {
        List<JsonNode> bad = new ArrayList<>();
        bad.add(Api.JSON.nullNode());
        bad.add(Api.JSON.getNodeFactory().stringNode(HUGE));
        bad.add(Api.JSON.getNodeFactory().stringNode(CONTROL));
        if (value == null || value.isString()) {
            bad.add(Api.JSON.getNodeFactory().numberNode(random.nextInt(100_000)));
            bad.add(Api.JSON.getNodeFactory().booleanNode(true));
            bad.add(Api.JSON.createArrayNode().add("a"));
        } else if (value.isNumber()) {
            bad.add(Api.JSON.getNodeFactory().stringNode(value.asString()));
            bad.add(Api.JSON.getNodeFactory().numberNode(1.5));
            bad.add(Api.JSON.getNodeFactory().numberNode(-1));
            bad.add(Api.JSON.getNodeFactory().numberNode(new java.math.BigInteger("9".repeat(40))));
        } else if (value.isBoolean()) {
            bad.add(Api.JSON.getNodeFactory().stringNode("true"));
            bad.add(Api.JSON.getNodeFactory().numberNode(1));
        } else if (value.isArray()) {
            bad.add(Api.JSON.createObjectNode().put("a", 1));
            bad.add(Api.JSON.createArrayNode().addNull());
            bad.add(Api.JSON.createArrayNode().add(Api.JSON.createArrayNode().add(Api.JSON.createArrayNode())));
        } else if (value.isObject()) {
            bad.add(Api.JSON.createArrayNode().add(1));
            bad.add(Api.JSON.createObjectNode().put("unknown", true));
        }
        return bad;
    }

    private static List<String> badValues(JsonNode schema) {
        List<String> bad = new ArrayList<>(List.of("", "%00", "%FF", encode(CONTROL), "w".repeat(5_000)));
        JsonNode items = schema.path("type").asString("").equals("array") ? schema.path("items") : schema;
        String type = items.path("type").isArray() ? items.path("type").get(0).asString()
                : items.path("type").asString("");
        switch (type) {
            case "integer", "number" -> bad.addAll(List.of("abc", "1.5", "-1", "-999999", "9".repeat(30), "0x10",
                    "1e3", "NaN"));
            case "boolean" -> bad.addAll(List.of("maybe", "2", "yes please"));
            default -> {
            }
        }
        if (items.has("enum")) {
            bad.add(items.path("enum").get(0).asString().toLowerCase(Locale.ROOT));
            bad.add("NOT_A_VALUE");
        }
        if ("date-time".equals(items.path("format").asString())) {
            bad.addAll(List.of("yesterday", "2026-13-45T25:61:00Z", "1e9"));
        }
        return bad;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.isEmpty() ? schema : document.at(ref.substring(1));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String plain(JsonNode value) {
        return value.isString() ? value.asString() : value.toString();
    }

    /** The request an attempt starts from: the operation with its fixtures and its example body. */
    private record Base(String method, String path, Map<String, String> query, Map<String, String> headers,
                        byte[] body) {

        String queryString() {
            StringBuilder text = new StringBuilder();
            query.forEach((name, value) -> text.append(text.isEmpty() ? "" : "&").append(encode(name)).append('=')
                    .append(encode(value)));
            return text.toString();
        }

        String target() {
            return queryString().isEmpty() ? path : path + "?" + queryString();
        }

        Attempt withPath(String what, String otherPath) {
            return new Attempt(what, method, queryString().isEmpty() ? otherPath : otherPath + "?" + queryString(),
                    headers, body);
        }

        // Bad query values go as written: some are already percent-encoded on purpose.
        Attempt withQuery(String what, Map<String, String> otherQuery) {
            StringBuilder text = new StringBuilder();
            otherQuery.forEach((name, value) -> text.append(text.isEmpty() ? "" : "&").append(name).append('=')
                    .append(value));
            return new Attempt(what, method, path + "?" + text, headers, body);
        }

        Attempt withHeaders(String what, Map<String, String> otherHeaders) {
            return new Attempt(what, method, target(), otherHeaders, body);
        }

        Attempt withBody(String what, JsonNode otherBody) {
            return new Attempt(what, method, target(), headers, Api.JSON.writeValueAsBytes(otherBody));
        }
    }

    /**
     * A domain with a published product (no transformation, so that no request starts a run), an access request
     * left pending and one approved into a grant, a policy of its own, a throwaway key; and a key per role.
     */
    private Fixtures fixtures(JsonNode document) {
        String domain = createDomain("fuzz");
        String consumerDomain = createDomain("fuzz-reader");
        String product = "fuzzed";
        String version = versionPath(domain, product, "1.0.0");
        ObjectNode descriptor = DescriptorJson.governed(DescriptorJson.complete());
        descriptor.remove("transformation");
        Api.Response applied = api.put(version, ADMIN_KEY, descriptor);
        assertThat(applied.status()).as(applied.body()).isIn(200, 201);
        Api.Response published = api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);

        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("PLATFORM_ADMIN", ADMIN_KEY);
        for (JsonNode role : document.at("/components/schemas/IssueKeyRequest/properties/role/enum")) {
            String name = role.asString();
            if (name.equals("PLATFORM_ADMIN")) {
                continue;
            }
            String keyDomain = name.equals("CONSUMER") ? consumerDomain : domain;
            for (String candidate : java.util.Arrays.asList(keyDomain, null)) {
                Map<String, Object> request = new java.util.HashMap<>(Map.of("name", "fuzz " + name, "role", name));
                if (candidate != null) {
                    request.put("domain", candidate);
                }
                Api.Response issued = api.post("/api/v1/api-keys", ADMIN_KEY, request);
                if (issued.status() == 201) {
                    keys.put(name, issued.json().path("secret").asString());
                    break;
                }
            }
        }
        keys.put("no key", "mesh_not_a_real_key");

        String productPath = "/api/v1/domains/" + domain + "/products/" + product;
        String consumer = keys.get("CONSUMER");
        Map<String, Object> asking = Map.of("purpose", "fuzzing", "columns", List.of("id"), "duration", "P30D");
        Api.Response pending = api.post(productPath + "/access-requests", consumer, asking);
        assertThat(pending.status()).as(pending.body()).isEqualTo(201);
        Api.Response toGrant = api.post(productPath + "/access-requests", consumer, asking);
        Api.Response approved = api.post(productPath + "/access-requests/" + toGrant.json().path("id").asString()
                + "/approve", ADMIN_KEY, Map.of());
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        String grantId = approved.json().path("grantId").asString();

        String policyId = unique("fuzz-policy");
        Api.Response policy = api.put("/api/v1/policies/" + policyId, ADMIN_KEY, Map.of("description", "fuzzed",
                "kind", "MASK", "domain", domain, "expression", "field.name == 'nothing-here'", "mask", "HASH"));
        assertThat(policy.status()).as(policy.body()).isIn(200, 201);
        Api.Response throwaway = api.post("/api/v1/api-keys", ADMIN_KEY,
                Map.of("name", "fuzz throwaway", "role", "DOMAIN_MEMBER", "domain", domain));

        // A webhook nothing is sent to: SLO changes only, to a port nobody listens on.
        Api.Response webhook = api.post("/api/v1/domains/" + domain + "/webhooks", ADMIN_KEY, Map.of("url",
                "http://127.0.0.1:9/fuzz", "events", List.of("dev.meshplatform.slo.state-changed")));
        assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);

        Map<String, String> values = new LinkedHashMap<>();
        values.put("domain", domain);
        values.put("webhookId", webhook.json().path("id").asString());
        values.put("product", product);
        values.put("version", "1.0.0");
        values.put("requestId", pending.json().path("id").asString());
        values.put("grantId", grantId.isEmpty() ? "no-grant" : grantId);
        values.put("policyId", policyId);
        values.put("id", throwaway.json().path("id").asString());
        values.put("runId", java.util.UUID.randomUUID().toString());
        return new Fixtures(values, keys);
    }

    private Set<String> policyIds() {
        Set<String> ids = new LinkedHashSet<>();
        api.get("/api/v1/policies", ADMIN_KEY).json().path("items")
                .forEach(policy -> ids.add(policy.path("id").asString()));
        return ids;
    }

    // A generated body that happened to be valid may have saved a policy: the suite's other tests must not see it.
    private void restorePolicies(Set<String> before) {
        for (String id : policyIds()) {
            if (!before.contains(id)) {
                api.delete("/api/v1/policies/" + encode(id), ADMIN_KEY);
            }
        }
    }
}
