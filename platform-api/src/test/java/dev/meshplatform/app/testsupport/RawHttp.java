package dev.meshplatform.app.testsupport;

import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, the request sent exactly as written: bad percent-encodings, control characters and
 * headers that an HTTP client library would refuse to send reach the server as they are.
 */
public final class RawHttp {

    /** An answer: its status, its headers with lower-case names, and its body (de-chunked) as UTF-8. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** Sends one request on its own connection and reads the whole answer. */
    public Answer send(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException closedEarly) {
                // The server may answer and close before it has read everything (a URL or a body too large):
                // its answer is still there to read.
            }
            return parse(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + abbreviate(target) + ": " + e, e);
        }
    }

    /**
     * What is wrong with an answer that should be an RFC 9457 problem (of this status and code, where not null; a
     * 4xx otherwise); empty when nothing is.
     */
    public static String problemOf(Answer answer, Integer status, String code) {
        String seen = answer.status() + " " + answer.contentType() + " " + abbreviate(answer.body());
        if (status != null ? answer.status() != status : answer.status() < 400 || answer.status() >= 500) {
            return "expected " + (status != null ? status : "a 4xx") + ", got " + seen;
        }
        if (!answer.contentType().startsWith("application/problem+json")) {
            return "not a problem: " + seen;
        }
        JsonNode body;
        try {
            body = Api.JSON.readTree(answer.body());
        } catch (RuntimeException e) {
            return "a problem that is not JSON: " + seen;
        }
        if (body.path("status").asInt() != answer.status() || body.path("code").asString().isBlank()
                || body.path("detail").asString().isBlank() || body.path("title").asString().isBlank()) {
            return "an incomplete problem: " + seen;
        }
        if (code != null && !code.equals(body.path("code").asString())) {
            return "expected code " + code + ", got " + seen;
        }
        return "";
    }

    public static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static Answer parse(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end <= 0) {
            throw new IOException("not an HTTP answer: " + abbreviate(text));
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = lineEnd(chunked, at);
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1)
                    .split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return body.toByteArray();
    }

    private static int lineEnd(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }
}
