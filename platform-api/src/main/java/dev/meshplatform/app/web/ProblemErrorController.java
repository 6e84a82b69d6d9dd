package dev.meshplatform.app.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every error the servlet container routes to {@code /error} (a filter's {@code sendError}, an exception thrown
 * before Spring MVC runs) answers as a problem, in place of Spring Boot's default JSON.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    static final String BAD_QUERY_STRING = "the query string is not well-formed (check its percent-encoding)";

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) == null) {
            // Asked for directly, not an error being forwarded: there is nothing here.
            ProblemDetail notFound = Problems.problem(HttpStatus.NOT_FOUND, "not-found",
                    "no resource at " + request.getRequestURI());
            notFound.setInstance(Problems.instance(request.getRequestURI()));
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(notFound);
        }
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        HttpStatus status = status(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
        String uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original
                ? original : request.getRequestURI();
        String detail;
        if (invalidParameter(exception)) {
            status = HttpStatus.BAD_REQUEST;
            detail = BAD_QUERY_STRING;
        } else if (status.is5xxServerError()) {
            log.error("Unexpected error on {} {}", request.getMethod(), uri,
                    exception instanceof Throwable t ? t : null);
            detail = "an unexpected error occurred; the platform's log has the details";
        } else {
            detail = request.getAttribute(RequestDispatcher.ERROR_MESSAGE) instanceof String message
                    && !message.isBlank() ? message : status.getReasonPhrase();
        }
        ProblemDetail problem = Problems.problem(status, Problems.codeOf(status), detail);
        problem.setInstance(Problems.instance(uri));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static boolean invalidParameter(Object exception) {
        for (Object cause = exception; cause instanceof Throwable t; cause = t.getCause()) {
            if (cause instanceof InvalidParameterException) {
                return true;
            }
        }
        return false;
    }

    private static HttpStatus status(Object code) {
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }
}
