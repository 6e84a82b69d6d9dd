package dev.meshplatform.app.security;

import dev.meshplatform.app.web.Problems;
import dev.meshplatform.registry.api.ApiKeyStore;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Authenticates {@code Authorization: Bearer <API key>}. A token that is not an API key is left to the JWT resource
 * server when one is configured, and refused otherwise. A wrong key is refused at once, without a stack trace.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String KEY_PREFIX = "mesh_";
    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);

    private final ApiKeyStore keys;
    private final byte[] bootstrapAdminKey;
    private final boolean jwtEnabled;
    private final JsonMapper json;

    ApiKeyAuthenticationFilter(ApiKeyStore keys, String bootstrapAdminKey, boolean jwtEnabled, JsonMapper json) {
        this.keys = keys;
        this.bootstrapAdminKey = bootstrapAdminKey == null || bootstrapAdminKey.isBlank() ? null
                : bootstrapAdminKey.getBytes(StandardCharsets.UTF_8);
        this.jwtEnabled = jwtEnabled;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = bearerToken(request);
        if (token.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String value = token.get();
        if (bootstrapAdminKey != null
                && MessageDigest.isEqual(bootstrapAdminKey, value.getBytes(StandardCharsets.UTF_8))) {
            authenticate(new MeshPrincipal("bootstrap-admin", Role.PLATFORM_ADMIN, null));
            chain.doFilter(request, response);
            return;
        }
        if (value.startsWith(KEY_PREFIX)) {
            Optional<MeshPrincipal> principal = keys.authenticate(value);
            if (principal.isEmpty()) {
                log.info("Refused an unknown, revoked or expired API key with id prefix '{}' on {} {}",
                        safeId(value), request.getMethod(), request.getRequestURI());
                unauthorized(request, response, "invalid-api-key", "the API key is unknown, revoked or expired");
                return;
            }
            authenticate(principal.get());
            chain.doFilter(request, response);
            return;
        }
        if (jwtEnabled) {
            chain.doFilter(request, response);
            return;
        }
        unauthorized(request, response, "invalid-token",
                "the bearer token is not an API key (mesh_...) and no JWT issuer is configured");
    }

    private static void authenticate(MeshPrincipal principal) {
        SecurityContextHolder.getContext().setAuthentication(new MeshAuthentication(principal));
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, String code, String detail)
            throws IOException {
        SecurityContextHolder.clearContext();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        Problems.write(request, response, json, HttpStatus.UNAUTHORIZED, code, detail);
    }

    static Optional<String> bearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    // Only the public id part, never the secret.
    private static String safeId(String token) {
        String id = token.substring(KEY_PREFIX.length(), Math.min(token.length(), KEY_PREFIX.length() + 12));
        return id.replaceAll("[^a-z0-9]", "?");
    }
}
