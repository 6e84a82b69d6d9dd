package dev.meshplatform.app.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9457 problem details with the platform's stable {@code code}; also written by filters outside Spring MVC. */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        problem.setType(URI.create("https://meshplatform.dev/problems/" + code));
        problem.setProperty("code", code);
        return problem;
    }

    /** Why the firewall refused a URL, in the words of every {@code rejected-url} problem. */
    public static String rejected(RuntimeException e) {
        return "the URL holds a sequence the platform refuses: " + e.getMessage();
    }

    /** The stable code of an error known only by its status (raised by the servlet container or a filter). */
    public static String codeOf(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "bad-request";
            case NOT_FOUND -> "not-found";
            case METHOD_NOT_ALLOWED -> "method-not-allowed";
            case NOT_ACCEPTABLE -> "not-acceptable";
            case CONTENT_TOO_LARGE -> "payload-too-large";
            case URI_TOO_LONG -> "uri-too-long";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "headers-too-large";
            case UNAUTHORIZED -> "unauthenticated";
            case FORBIDDEN -> "forbidden";
            case SERVICE_UNAVAILABLE -> "unavailable";
            default -> status.is5xxServerError() ? "internal-error" : "http-" + status.value();
        };
    }

    /** The problem's {@code instance}: the request's path, or none when the path is not a valid URI reference. */
    public static URI instance(String requestUri) {
        try {
            return requestUri == null ? null : URI.create(requestUri);
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }

    public static ProblemDetail withErrors(ProblemDetail problem, List<Map<String, String>> errors) {
        problem.setProperty("errors", errors);
        return problem;
    }

    public static Map<String, String> fieldError(String field, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        return error;
    }

    /** Writes a problem straight to the response, for filters that answer before Spring MVC does. */
    public static void write(HttpServletRequest request, HttpServletResponse response, JsonMapper json,
                             HttpStatus status, String code, String detail) throws IOException {
        ProblemDetail problem = problem(status, code, detail);
        problem.setInstance(instance(request.getRequestURI()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        body.put("code", code);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
