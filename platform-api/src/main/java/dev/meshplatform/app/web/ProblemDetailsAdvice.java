package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.MeshException;
import dev.meshplatform.registry.api.RegistryException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one table from exceptions to RFC 9457 problem details. Every problem has a stable {@code code}; invalid input
 * lists its field errors. Expected failures are logged without stack traces.
 */
@RestControllerAdvice
class ProblemDetailsAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** How every module's refusal maps to HTTP: the one table. */
    static final Map<MeshException.Reason, HttpStatus> STATUS = new EnumMap<>(Map.of(
            MeshException.Reason.INVALID, HttpStatus.BAD_REQUEST,
            MeshException.Reason.FORBIDDEN, HttpStatus.FORBIDDEN,
            MeshException.Reason.NOT_FOUND, HttpStatus.NOT_FOUND,
            MeshException.Reason.GONE, HttpStatus.GONE,
            MeshException.Reason.ALREADY_EXISTS, HttpStatus.CONFLICT,
            MeshException.Reason.CONFLICT, HttpStatus.CONFLICT,
            MeshException.Reason.PRECONDITION_FAILED, HttpStatus.PRECONDITION_FAILED,
            MeshException.Reason.TRANSITION_REJECTED, HttpStatus.UNPROCESSABLE_CONTENT,
            MeshException.Reason.UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE));

    @ExceptionHandler(MeshException.class)
    ResponseEntity<ProblemDetail> refused(MeshException e, HttpServletRequest request) {
        if (e.reason() == MeshException.Reason.UNAVAILABLE) {
            log.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        }
        ProblemDetail problem = Problems.problem(STATUS.get(e.reason()), e.code(), e.getMessage());
        if (!e.details().isEmpty()) {
            problem.setProperty("issues", e.details());
        }
        if (e instanceof RegistryException registry) {
            if (!registry.fieldProblems().isEmpty()) {
                Problems.withErrors(problem, registry.fieldProblems().stream()
                        .map(f -> Problems.fieldError(f.field(), f.message())).toList());
            }
            if (!registry.verdicts().isEmpty()) {
                problem.setProperty("verdicts", registry.verdicts());
            }
        }
        return respond(problem, request);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalidBody(MethodArgumentNotValidException e, HttpServletRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Problems.fieldError(f.getField(), f.getDefaultMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "validation-failed",
                "the request has " + errors.size() + " invalid field(s)");
        return respond(Problems.withErrors(problem, errors), request);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameters(HandlerMethodValidationException e, HttpServletRequest request) {
        List<Map<String, String>> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> Problems.fieldError(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        return respond(Problems.withErrors(Problems.problem(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "the request has invalid parameters"), errors), request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e, HttpServletRequest request) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Problems.fieldError(v.getPropertyPath().toString(), v.getMessage())).toList();
        return respond(Problems.withErrors(Problems.problem(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "the request has invalid parameters"), errors), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException tooLarge) {
                return respond(Problems.problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                        tooLarge.getMessage()), request);
            }
        }
        Throwable cause = e.getCause();
        while (cause != null) {
            if (cause instanceof YamlTrees.MalformedYamlException yaml) {
                return respond(Problems.problem(HttpStatus.BAD_REQUEST, "malformed-body", yaml.getMessage()),
                        request);
            }
            if (cause instanceof UnrecognizedPropertyException unknown) {
                String field = path(unknown);
                return respond(Problems.withErrors(Problems.problem(HttpStatus.BAD_REQUEST, "unknown-field",
                                "unknown field '" + unknown.getPropertyName() + "'" + " at " + field
                                        + "; known fields: " + unknown.getKnownPropertyIds()),
                        List.of(Problems.fieldError(field, "unknown field"))), request);
            }
            if (cause instanceof DatabindException databind) {
                String field = path(databind);
                String reason = plainReason(databind);
                return respond(Problems.withErrors(Problems.problem(HttpStatus.BAD_REQUEST, "malformed-body",
                                "the body does not fit the expected shape at " + field + ": " + reason),
                        List.of(Problems.fieldError(field, reason))), request);
            }
            if (cause instanceof JacksonException parse) {
                return respond(Problems.problem(HttpStatus.BAD_REQUEST, "malformed-body",
                        "the body is not well-formed: " + parse.getOriginalMessage()), request);
            }
            cause = cause.getCause();
        }
        String detail = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
                ? "a request body is required" : "the body could not be read";
        return respond(Problems.problem(HttpStatus.BAD_REQUEST, "malformed-body", detail), request);
    }

    /** What was wrong with a value, in the API's words: JSON types and allowed values, never Java class names. */
    static String plainReason(DatabindException e) {
        if (e instanceof InvalidNullException) {
            return "null is not allowed here";
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() == String.class) {
            return format.getOriginalMessage();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType());
            return e instanceof InvalidFormatException format && format.getValue() != null
                    ? "'" + format.getValue() + "' is not " + expected : "expected " + expected;
        }
        return String.valueOf(e.getOriginalMessage()).replaceAll("`[\\w.$]+`", "this value");
    }

    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "));
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "a date-time such as 2026-01-31T12:00:00Z";
        }
        if (type == java.time.Duration.class) {
            return "a duration such as PT1H";
        }
        return "an object";
    }

    private static String path(DatabindException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return path.startsWith(".") ? path.substring(1) : path.isEmpty() ? "body" : path;
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> unsupportedMediaType(HttpMediaTypeNotSupportedException e,
                                                       HttpServletRequest request) {
        return respond(Problems.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "send " + e.getSupportedMediaTypes().stream().map(Object::toString)
                        .collect(Collectors.joining(" or ")) + ", not " + e.getContentType()), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return respond(Problems.problem(HttpStatus.NOT_ACCEPTABLE, "not-acceptable",
                "this resource is available as " + e.getSupportedMediaTypes()), request);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingRequestHeaderException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception e, HttpServletRequest request) {
        String detail = e instanceof MethodArgumentTypeMismatchException mismatch
                ? "parameter '" + mismatch.getName() + "' cannot be '" + mismatch.getValue() + "'"
                : e.getMessage();
        return respond(Problems.problem(HttpStatus.BAD_REQUEST, "invalid-parameter", detail), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> methodNotAllowed(HttpRequestMethodNotSupportedException e,
                                                   HttpServletRequest request) {
        return respond(Problems.problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                e.getMethod() + " is not supported here; use " + e.getSupportedHttpMethods()), request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return respond(Problems.problem(HttpStatus.NOT_FOUND, "not-found",
                "no resource at " + request.getRequestURI()), request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> forbidden(AccessDeniedException e, HttpServletRequest request) {
        return respond(Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "your role does not allow this operation"),
                request);
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> concurrentChange(ObjectOptimisticLockingFailureException e,
                                                   HttpServletRequest request) {
        return respond(Problems.problem(HttpStatus.CONFLICT, "concurrent-modification",
                "somebody else changed this resource at the same time; read it again and retry"), request);
    }

    /**
     * A unique constraint that lost a race: two requests created the same thing at once, and the check before the
     * insert passed for both. Any other integrity violation is a bug: validation keeps every client input within
     * the database's rules (lengths, nulls, references), so it is logged as one and answered as an internal error.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e, HttpServletRequest request) {
        if (isUniqueViolation(e)) {
            return respond(Problems.problem(HttpStatus.CONFLICT, "concurrent-modification",
                    "a concurrent request created or changed the same resource; read it again and retry"), request);
        }
        log.error("Bug: the database refused what validation let through on {} {}", request.getMethod(),
                request.getRequestURI(), e);
        return respond(internalError(), request);
    }

    /** SQLSTATE 23505, unique_violation: PostgreSQL's and H2's (which also calls it DUPLICATE_KEY_1). */
    static boolean isUniqueViolation(Throwable e) {
        if (e instanceof DuplicateKeyException) {
            return true;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static final String UNIQUE_VIOLATION = "23505";

    @ExceptionHandler(RequestBodyLimitFilter.BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestBodyLimitFilter.BodyTooLargeException e,
                                           HttpServletRequest request) {
        return respond(Problems.problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", e.getMessage()), request);
    }

    /** Every stream is taken (slow or stalled readers hold them): a refusal now, never a wait behind them. */
    @ExceptionHandler(ResponseStreams.Exhausted.class)
    ResponseEntity<ProblemDetail> streamsExhausted(ResponseStreams.Exhausted e, HttpServletRequest request) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "server-busy", e.getMessage());
        problem.setInstance(Problems.instance(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(org.springframework.http.HttpHeaders.RETRY_AFTER,
                        String.valueOf(ResponseStreams.RETRY_AFTER.toSeconds()))
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /**
     * The client went away, or was cut for taking none of a streamed body (server.tomcat.connection-timeout): there is
     * nobody to answer, and the body logged its one line. Expected, so no stack trace.
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    ResponseEntity<ProblemDetail> clientGone(AsyncRequestNotUsableException e) {
        return null;
    }

    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e, HttpServletRequest request) {
        // The firewall checks query parameters only when they are read, which may be here.
        return respond(Problems.problem(HttpStatus.BAD_REQUEST, "rejected-url", Problems.rejected(e)), request);
    }

    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> badQueryString(Exception e, HttpServletRequest request) {
        return respond(Problems.problem(HttpStatus.BAD_REQUEST, "bad-request", ProblemErrorController.BAD_QUERY_STRING),
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof AsyncRequestNotUsableException gone) {
                // A streamed body's write failed under the serializer (Jackson wraps it): the client went away.
                return clientGone(gone);
            }
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(internalError(), request);
    }

    // Nothing of the cause: its SQL, constraint names and values stay in the log.
    private static ProblemDetail internalError() {
        return Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "an unexpected error occurred; the platform's log has the details");
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        problem.setInstance(Problems.instance(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus())
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
