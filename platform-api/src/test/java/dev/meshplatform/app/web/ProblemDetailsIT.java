package dev.meshplatform.app.web;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a clear RFC 9457 problem with a stable code, and changes nothing. */
class ProblemDetailsIT extends PlatformIT {

    private String domain;

    @BeforeEach
    void domain() {
        domain = createDomain("errors");
    }

    private static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.json().path("detail").asString()).isNotBlank();
        assertThat(response.json().path("title").asString()).isNotBlank();
    }

    private static List<String> errorFields(Api.Response response) {
        List<String> fields = new ArrayList<>();
        response.json().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        return fields;
    }

    /**
     * Input at every validated maximum fits the database, even when JSON escapes every character of it; one character
     * more is a 400 from validation. No client input reaches a database rule (which would be a 500: a bug).
     */
    @Test
    void inputAtTheValidatedMaximumsIsStoredAndOneMoreIsA400() {
        String quotes200 = "\"".repeat(200);
        List<Map<String, String>> contacts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            contacts.add(Map.of("name", quotes200, "email", "contact@example.com",
                    "role", "\\".repeat(100)));
        }
        Map<String, Object> widest = new java.util.HashMap<>(Map.of("name", unique("widest"), "title", quotes200,
                "description", "\"".repeat(4000), "ownerTeam", quotes200, "contacts", contacts));
        assertThat(api.post("/api/v1/domains", ADMIN_KEY, widest).status()).isEqualTo(201);
        widest.put("name", unique("wider"));
        widest.put("title", quotes200 + "x");
        Api.Response tooLong = api.post("/api/v1/domains", ADMIN_KEY, widest);
        assertProblem(tooLong, 400, "validation-failed");
        assertThat(errorFields(tooLong)).containsExactly("title");

        // A policy whose expression, description and message are all quotes and backslashes: twice as long as JSON.
        String expression = "\"" + "\\\"".repeat(4990) + "\" != \"\"";
        assertThat(expression).hasSizeLessThanOrEqualTo(10_000);
        Map<String, Object> policy = new java.util.HashMap<>(Map.of("kind", "ACCESS", "domain", domain,
                "expression", expression, "description", "\"".repeat(2000), "message", "\\".repeat(1000)));
        Api.Response saved = api.put("/api/v1/policies/" + unique("widest"), ADMIN_KEY, policy);
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        policy.put("message", "\\".repeat(1001));
        assertProblem(api.put("/api/v1/policies/" + unique("wider"), ADMIN_KEY, policy), 400, "validation-failed");
    }

    @Test
    void unknownJsonFieldsAreRefusedAnywhereInTheDescriptor() {
        ObjectNode descriptor = DescriptorJson.complete();
        ((ObjectNode) descriptor.path("schema").get(1)).put("colour", "red");
        Api.Response response = api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY, descriptor);
        assertProblem(response, 400, "unknown-field");
        assertThat(errorFields(response)).containsExactly("schema[1].colour");
        assertThat(api.get(versionPath(domain, "people", "1.0.0"), ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void unknownYamlFieldsAreRefusedToo() {
        String yaml = "title: T\nschema:\n  - name: id\n    type: long\n    colour: red\n";
        Api.Response response = api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/yaml", yaml).send();
        assertProblem(response, 400, "unknown-field");
        assertThat(errorFields(response)).containsExactly("schema[0].colour");
    }

    @Test
    void malformedAndMistypedBodies() {
        assertProblem(api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/json", "{\"title\": ").send(), 400, "malformed-body");
        assertProblem(api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/yaml", "title: [unclosed").send(), 400, "malformed-body");
        ObjectNode descriptor = DescriptorJson.complete();
        ((ObjectNode) descriptor.path("inputPorts").get(0)).put("partitions", "many");
        Api.Response mistyped = api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY, descriptor);
        assertProblem(mistyped, 400, "malformed-body");
        assertThat(errorFields(mistyped)).containsExactly("inputPorts[0].partitions");
        assertProblem(api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/json", "").send(), 400, "malformed-body");
        assertProblem(api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/json", "{\"title\":\"a\"} {\"title\":\"b\"}").send(), 400, "malformed-body");
    }

    @Test
    void invalidDescriptorsListEveryFieldError() {
        ObjectNode descriptor = DescriptorJson.complete();
        descriptor.put("title", "");
        ((ObjectNode) descriptor.path("schema").get(0)).put("type", "uuid");
        ((ObjectNode) descriptor.path("transformation")).put("schedule", "every hour");
        ((ArrayNode) descriptor.path("quality")).addObject().put("name", "x").put("type", "not_null")
                .put("column", "nope");
        Api.Response response = api.put(versionPath(domain, "people", "1.0.0"), ADMIN_KEY, descriptor);
        assertProblem(response, 400, "validation-failed");
        assertThat(errorFields(response)).containsExactly("quality[6].column", "schema[0].type", "title",
                "transformation.schedule");
        assertProblem(api.put(versionPath(domain, "Bad_Name", "1.0"), ADMIN_KEY, DescriptorJson.complete()), 400,
                "validation-failed");
        assertProblem(api.post("/api/v1/domains", ADMIN_KEY, Map.of("name", "x", "title", "")), 400,
                "validation-failed");
    }

    @Test
    void bodiesOverTheLimitGet413() {
        String big = "{\"title\": \"" + "x".repeat(300 * 1024) + "\"}";
        assertProblem(api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/json", big).send(), 413, "payload-too-large");
        // Without Content-Length (chunked), the limit applies while reading.
        byte[] bytes = big.getBytes();
        assertProblem(api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("application/json", HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(bytes))).send(), 413, "payload-too-large");
        assertThat(api.get(versionPath(domain, "people", "1.0.0"), ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void wrongMediaTypesMethodsAndParameters() {
        assertProblem(api.request("PUT", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .body("text/plain", "title: x").send(), 415, "unsupported-media-type");
        assertProblem(api.request("GET", versionPath(domain, "people", "1.0.0")).token(ADMIN_KEY)
                .header("Accept", "application/xml").send(), 406, "not-acceptable");
        assertProblem(api.request("PATCH", "/api/v1/domains/" + domain).token(ADMIN_KEY)
                .json(Map.of()).send(), 405, "method-not-allowed");
        assertProblem(api.get("/api/v1/domains?size=1000", ADMIN_KEY), 400, "invalid-parameter");
        assertProblem(api.get("/api/v1/products?status=LIVE", ADMIN_KEY), 400, "invalid-parameter");
        assertProblem(api.get("/api/v1/nothing-here", ADMIN_KEY), 404, "not-found");
        assertProblem(api.get("/api/v1/domains/no-such-domain", ADMIN_KEY), 404, "domain-not-found");
        assertProblem(api.post(versionPath(domain, "people", "1.0.0") + "/transitions", ADMIN_KEY,
                Map.of("to", "LIVE")), 400, "malformed-body");
    }

    @Test
    void badCredentialsGet401WithoutDetailsOfTheKey() {
        Api.Response unknown = api.get("/api/v1/domains", "mesh_aaaaaaaaaaaa_bogus-secret");
        assertProblem(unknown, 401, "invalid-api-key");
        assertThat(unknown.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(api.get("/api/v1/domains", "not-a-key"), 401, "invalid-token");
        assertProblem(api.get("/api/v1/domains", null), 401, "unauthenticated");
    }
}
