package dev.meshplatform.app.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Documents on every operation the RFC 9457 problems it can answer, as {@code application/problem+json} with the
 * {@code Problem} schema and an example, so that Swagger UI shows what each error looks like instead of
 * "Undocumented". Which statuses an operation gets follows from its shape: a path parameter can name something
 * that does not exist (404), a body can be too large or of the wrong type (413, 415), a write can conflict (409),
 * an {@code If-Match} can be stale (412). The fuzz test checks that every status the platform answers is listed.
 */
@Component
class ProblemResponses implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    /** Operations whose refusal by the lifecycle or the publish gate is a 422. */
    private static final Set<String> LIFECYCLE_REFUSALS = Set.of("transitionVersion", "applyVersion",
            "importContract", "importBundle");
    /** Operations without path parameters whose body names a stored resource that may not exist (404). */
    private static final Set<String> NAMES_IN_BODY = Set.of("evaluatePolicies");
    /** Operations that read a retired version's data, gone for good (410). */
    private static final Set<String> GONE = Set.of("readData");

    /** A status's stable example code, and when the platform answers it. */
    private record Kind(String code, String when) {
    }

    private static final Map<Integer, Kind> KINDS = Map.ofEntries(
            Map.entry(400, new Kind("validation-failed",
                    "The request is malformed or fails validation; `errors` names each field at fault.")),
            Map.entry(401, new Kind("unauthenticated",
                    "No credentials, or credentials that are unknown, revoked or expired.")),
            Map.entry(403, new Kind("forbidden",
                    "The caller's role or domain may not do this.")),
            Map.entry(404, new Kind("not-found",
                    "What the request names does not exist (or the caller may not know that it exists).")),
            Map.entry(406, new Kind("not-acceptable",
                    "None of the media types in Accept can be served.")),
            Map.entry(409, new Kind("concurrent-modification",
                    "The request conflicts with the current state, e.g. a name that is taken.")),
            Map.entry(410, new Kind("version-retired",
                    "The version was retired and its data purged.")),
            Map.entry(412, new Kind("precondition-failed",
                    "If-Match names a revision that is no longer current; read again and retry.")),
            Map.entry(413, new Kind("payload-too-large",
                    "The body is larger than the platform accepts.")),
            Map.entry(415, new Kind("unsupported-media-type",
                    "The body's Content-Type is not one this operation reads.")),
            Map.entry(422, new Kind("policy-violation",
                    "The lifecycle or the publish gate refuses it; the problem lists why.")),
            Map.entry(503, new Kind("unavailable",
                    "A part the platform needs (database, broker, object store) does not answer now, or (a data "
                    + "read, `server-busy`, with Retry-After) every response stream is taken; retry later.")));

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSchemas(PROBLEM, problemSchema());
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> document(path, method, operation)));
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        Map<String, ApiResponse> responses = new TreeMap<>(operation.getResponses());
        for (int status : statuses(path, method, operation)) {
            responses.putIfAbsent(String.valueOf(status), problemResponse(status, path));
        }
        ApiResponses ordered = new ApiResponses();
        responses.forEach(ordered::addApiResponse);
        operation.setResponses(ordered);
    }

    static List<Integer> statuses(String path, PathItem.HttpMethod method, Operation operation) {
        List<Integer> statuses = new java.util.ArrayList<>(List.of(400, 401, 403));
        if (path.contains("{") || NAMES_IN_BODY.contains(operation.getOperationId())) {
            statuses.add(404);
        }
        statuses.add(406);
        if (method != PathItem.HttpMethod.GET) {
            statuses.add(409);
        }
        if (GONE.contains(operation.getOperationId())) {
            statuses.add(410);
        }
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        if (parameters.stream().anyMatch(p -> "If-Match".equalsIgnoreCase(p.getName()))) {
            statuses.add(412);
        }
        if (operation.getRequestBody() != null) {
            statuses.add(413);
            statuses.add(415);
        }
        if (LIFECYCLE_REFUSALS.contains(operation.getOperationId())) {
            statuses.add(422);
        }
        statuses.add(503);
        return statuses;
    }

    private static ApiResponse problemResponse(int status, String path) {
        Map<String, Object> example = new LinkedHashMap<>();
        Kind kind = KINDS.get(status);
        String code = kind.code();
        example.put("type", "https://meshplatform.dev/problems/" + code);
        example.put("title", HttpStatus.valueOf(status).getReasonPhrase());
        example.put("status", status);
        example.put("detail", kind.when());
        example.put("instance", path.replace("{domain}", "sales").replace("{product}", "customers")
                .replace("{version}", "1.0.0").replaceAll("\\{[A-Za-z]+}", "k3x9m2p7q4tz"));
        example.put("code", code);
        if (status == 400) {
            example.put("errors", List.of(Map.of("field", "title", "message", "must not be blank")));
        }
        return new ApiResponse().description(kind.when()).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)).example(example)));
    }

    private static Schema<?> problemSchema() {
        Schema<?> fieldError = new ObjectSchema()
                .addProperty("field", new StringSchema().description("the field at fault"))
                .addProperty("message", new StringSchema().description("what is wrong with it"));
        return new ObjectSchema()
                .description("An RFC 9457 problem: every error the platform answers has this shape and a stable "
                        + "`code` to act on.")
                .addProperty("type", new StringSchema().format("uri")
                        .description("https://meshplatform.dev/problems/ followed by the code"))
                .addProperty("title", new StringSchema().description("the HTTP status's reason phrase"))
                .addProperty("status", new IntegerSchema().description("the HTTP status"))
                .addProperty("detail", new StringSchema().description("what went wrong, in words to act on"))
                .addProperty("instance", new StringSchema().format("uri-reference")
                        .description("the request's path"))
                .addProperty("code", new StringSchema().description("stable, machine-readable reason"))
                .addProperty("errors", new ArraySchema().items(fieldError)
                        .description("validation failures, one per field"))
                .addProperty("issues", new ArraySchema().items(new StringSchema())
                        .description("further lines, e.g. each compile error of a policy with its position"))
                .addProperty("verdicts", new ArraySchema().items(new ObjectSchema())
                        .description("the publish gate's verdicts, when the gate refused"))
                .required(List.of("type", "title", "status", "code"));
    }
}
