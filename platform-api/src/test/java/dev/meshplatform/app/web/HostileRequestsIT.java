package dev.meshplatform.app.web;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.RawHttp;
import dev.meshplatform.app.testsupport.RawHttp.Answer;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * What a hostile or careless client sends, as corpora: every answer is a 4xx problem (RFC 9457, with a stable code),
 * never a 5xx, an HTML page or Spring's default error JSON, and the platform stays healthy. URLs and headers that
 * no well-behaved HTTP client would send go over a raw socket, so that they reach the server exactly as written.
 */
class HostileRequestsIT extends PlatformIT {

    private String domain;

    @BeforeEach
    void domain() {
        domain = createDomain("hostile");
    }

    /** A request as bytes on the wire; the expected status and code (null: any 4xx problem). */
    private record Raw(String name, String target, Map<String, String> headers, Integer status, String code) {
    }

    @Test
    void urlsAndHeadersThatNoClientShouldSendAreProblems() {
        String big = "a".repeat(10 * 1024);
        List<Raw> corpus = List.of(
                raw("a lone % in the query", "/api/v1/domains?%", 400, "bad-request"),
                raw("a truncated escape in the query", "/api/v1/domains?page=%2", 400, "bad-request"),
                raw("a byte that is not UTF-8 in the query", "/api/v1/domains?page=%FF", 400, null),
                raw("a bad cursor escape", "/api/v1/domains/" + "x/products/y/data?cursor=%FF", null, null),
                raw("an encoded slash", "/api/v1/domains/a%2Fb", 400, null),
                raw("an encoded backslash", "/api/v1/domains/a%5Cb", 400, null),
                raw("a backslash", "/api/v1/domains/a\\b", 400, null),
                raw("an encoded NUL", "/api/v1/domains/a%00b", 400, null),
                raw("an invalid UTF-8 sequence", "/api/v1/domains/%C3%28", 400, null),
                raw("a bad escape in the path", "/api/v1/domains/%zz", 400, null),
                raw("a path parameter", "/api/v1/domains;jsessionid=1", 400, null),
                raw("a dot-dot segment", "/api/v1/x/../domains", 400, null),
                raw("an encoded dot-dot", "/api/v1/%2e%2e/domains", 400, null),
                raw("a double slash", "//api/v1/domains", 400, null),
                raw("an encoded CR LF", "/api/v1/domains%0d%0aX-Injected:%201", 400, null),
                raw("a NUL in a query value", "/api/v1/audit?actor=%00", 400, null),
                raw("a control character in a query value", "/api/v1/domains?page=%01", 400, null),
                raw("a URL over 8 KB", "/api/v1/domains?name=" + big, null, null),
                new Raw("a header over 8 KB", "/api/v1/domains", Map.of("X-Padding", big), null, null),
                new Raw("XML asked for", "/api/v1/policies", Map.of("Accept", "application/xml"), 406,
                        "not-acceptable"),
                raw("the error page asked for", "/error", 404, "not-found"),
                raw("the error page asked for with a status", "/error?status=500", 404, "not-found"),
                raw("a product that does not exist: its runs", productPath("no-such-product") + "/runs", 404,
                        "product-not-found"),
                raw("a product that does not exist: its landing", productPath("no-such-product") + "/landing",
                        404, "product-not-found"),
                raw("a product that does not exist: its access requests", productPath("no-such-product")
                        + "/access-requests", 404, "product-not-found"));
        assertSoftly(softly -> {
            for (Raw request : corpus) {
                Answer answer = send(request);
                softly.assertThat(RawHttp.problemOf(answer, request.status(), request.code())).as(request.name())
                        .isEmpty();
            }
        });
        assertHealthy();
    }

    @Test
    void bodiesOfTheWrongTypeAreRefusedNotConverted() {
        List<Map.Entry<String, ObjectNode>> descriptors = new ArrayList<>();
        descriptors.add(Map.entry("a number for a string", withTitle(12345)));
        descriptors.add(Map.entry("a boolean for a string", withTitle(true)));
        descriptors.add(Map.entry("a string for an integer", withPort(port -> port.put("partitions", "12"))));
        descriptors.add(Map.entry("a decimal for an integer", withPort(port -> port.put("partitions", 1.9))));
        descriptors.add(Map.entry("a string for a boolean", withPort(port -> port.put("startLanding", "false"))));
        descriptors.add(Map.entry("a null in a list", withNullTag()));
        descriptors.add(Map.entry("a NUL in a string", withTitle("a\u0000b")));
        descriptors.add(Map.entry("an escape character in a string", withTitle("a\u001bb")));
        assertSoftly(softly -> {
            for (Map.Entry<String, ObjectNode> descriptor : descriptors) {
                Api.Response response = api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY,
                        descriptor.getValue());
                softly.assertThat(problemOf(response, 400, "malformed-body")).as(descriptor.getKey()).isEmpty();
            }
        });
        assertThat(api.get(versionPath(domain, "people", "1.0.0"), ADMIN_KEY).status()).as("nothing stored")
                .isEqualTo(404);
    }

    @Test
    void duplicateKeysAndYamlTricksAreRefused() {
        Map<String, String[]> corpus = new LinkedHashMap<>();
        corpus.put("duplicate keys in JSON", new String[]{"application/json", "{\"title\":\"a\",\"title\":\"b\"}"});
        corpus.put("duplicate keys in YAML", new String[]{"application/yaml", "title: a\ntitle: b\n"});
        corpus.put("a billion laughs", new String[]{"application/yaml", YamlTreesTest.billionLaughs("title")});
        corpus.put("a recursive alias", new String[]{"application/yaml", "title: &a [*a]\n"});
        corpus.put("a Java tag", new String[]{"application/yaml", "title: !!java.lang.Runtime x\n"});
        corpus.put("two documents", new String[]{"application/yaml", "title: a\n---\ntitle: b\n"});
        corpus.put("deep nesting", new String[]{"application/yaml", "title: " + "[".repeat(10_000)
                + "]".repeat(10_000) + "\n"});
        assertSoftly(softly -> corpus.forEach((name, body) -> softly.assertThat(problemOf(
                api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY).body(body[0], body[1])
                        .send(), 400, "malformed-body")).as(name).isEmpty()));
        assertThat(api.get(versionPath(domain, "people", "1.0.0"), ADMIN_KEY).status()).as("nothing stored")
                .isEqualTo(404);
        assertHealthy();
    }

    @Test
    void yamlAnchorsAreExpandedIntoWhatIsStored() {
        Api.Response stored = api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/yaml", "title: &title People\ndescription: *title\nschema:\n"
                        + "  - name: id\n    type: long\n").send();
        assertThat(stored.status()).as(stored.body()).isBetween(200, 201);
        JsonNode descriptor = api.get(versionPath(domain, "people", "1.0.0"), ADMIN_KEY).json().path("descriptor");
        assertThat(descriptor.path("description").asString()).isEqualTo("People");
    }

    @Test
    void requestBodiesTheApiRefusedWithA5xxBefore() {
        Map<String, Api.Response> answers = new LinkedHashMap<>();
        answers.put("a null contact", api.request("POST", "/api/v1/domains").token(ADMIN_KEY).body(
                "application/json", "{\"name\":\"nulls-" + System.nanoTime() % 100000 + "\",\"title\":\"T\","
                        + "\"ownerTeam\":\"t\",\"contacts\":[null]}").send());
        for (String version : new String[]{"true", "12345", "1.5", "null", "[]"}) {
            answers.put("evaluate with version " + version, api.request("POST", "/api/v1/policies/evaluate")
                    .token(ADMIN_KEY).body("application/json", "{\"domain\":\"" + domain
                            + "\",\"product\":\"people\",\"version\":" + version + "}").send());
        }
        answers.put("evaluate with the version \"1.5\"", api.post("/api/v1/policies/evaluate", ADMIN_KEY,
                Map.of("domain", domain, "product", "people", "version", "1.5")));
        ObjectNode nameless = DescriptorJson.complete();
        ((ObjectNode) nameless.path("schema").get(0)).putNull("name");
        ObjectNode evaluation = Api.JSON.createObjectNode().put("domain", domain).put("product", "people")
                .put("version", "1.0.0");
        evaluation.set("descriptor", nameless);
        answers.put("evaluate a descriptor with a nameless field", api.post("/api/v1/policies/evaluate",
                ADMIN_KEY, evaluation));
        answers.put("a lower-case lifecycle status", api.post(versionPath(domain, "people", "1.0.0")
                + "/transitions", ADMIN_KEY, Map.of("to", "deprecated")));
        answers.put("a lifecycle status by number", api.post(versionPath(domain, "people", "1.0.0")
                + "/transitions", ADMIN_KEY, Map.of("to", 1)));
        assertSoftly(softly -> answers.forEach((name, response) -> {
            softly.assertThat(problemOf(response, 400, null)).as(name).isEmpty();
            softly.assertThat(response.body()).as(name + ": no Java names").doesNotContain("dev.meshplatform")
                    .doesNotContain("java.");
        }));
        assertHealthy();
    }

    private void assertHealthy() {
        Api.Response health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
    }

    /** What is wrong with an answer that should be a problem; empty when nothing is. */
    private static String problemOf(Api.Response response, Integer status, String code) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        return RawHttp.problemOf(new Answer(response.status(), headers, response.body()), status, code);
    }

    private static Raw raw(String name, String target, Integer status, String code) {
        return new Raw(name, target, Map.of(), status, code);
    }

    private String productPath(String product) {
        return "/api/v1/domains/" + domain + "/products/" + product;
    }

    private ObjectNode withTitle(Object title) {
        ObjectNode descriptor = DescriptorJson.complete();
        descriptor.set("title", Api.JSON.valueToTree(title));
        return descriptor;
    }

    private ObjectNode withPort(java.util.function.Consumer<ObjectNode> change) {
        ObjectNode descriptor = DescriptorJson.complete();
        change.accept((ObjectNode) descriptor.path("inputPorts").get(0));
        return descriptor;
    }

    private ObjectNode withNullTag() {
        ObjectNode descriptor = DescriptorJson.complete();
        descriptor.putArray("tags").add("ok").addNull();
        return descriptor;
    }

    /** Sends the request exactly as written, as the admin. */
    private Answer send(Raw request) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.put("Authorization", "Bearer " + ADMIN_KEY);
        return new RawHttp(port).send("GET", request.target(), headers, null);
    }
}
