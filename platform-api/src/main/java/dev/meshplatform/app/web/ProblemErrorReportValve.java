package dev.meshplatform.app.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Errors Tomcat answers itself, before any application code runs (an invalid URI, a bad encoding, a request it
 * cannot map), as problems instead of Tomcat's HTML page. Tomcat creates it by class name, so it is public.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int statusCode = response.getStatus();
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (statusCode < 400 || response.getContentWritten() > 0 || !ioAllowed.get() || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(statusCode);
        if (status == null) {
            status = statusCode >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
        }
        String message = response.getMessage();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://meshplatform.dev/problems/" + Problems.codeOf(status));
        body.put("title", status.getReasonPhrase());
        body.put("status", statusCode);
        body.put("detail", status.is5xxServerError() || message == null || message.isBlank()
                ? "the server could not handle this request: " + status.getReasonPhrase() : message);
        body.put("code", Problems.codeOf(status));
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was committed meanwhile: nothing left to tell it.
        }
    }
}
