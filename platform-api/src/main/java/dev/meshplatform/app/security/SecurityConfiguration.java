package dev.meshplatform.app.security;

import dev.meshplatform.app.config.MeshSecurityProperties;
import dev.meshplatform.app.web.Problems;
import dev.meshplatform.governance.api.CurrentActor;
import dev.meshplatform.registry.api.ApiKeyStore;
import dev.meshplatform.registry.api.Role;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import tools.jackson.databind.json.JsonMapper;

import java.util.function.Supplier;

/**
 * Who may call what: API keys (and JWTs when an issuer is configured) on {@code /api/**} and the Prometheus
 * endpoint (admins and metrics readers; metrics readers nothing else); health, info, the OpenAPI document and Swagger UI
 * are open. Rules per operation are on the handlers.
 */
@Configuration
@EnableMethodSecurity
class SecurityConfiguration {

    /**
     * Who is calling, for governance decisions taken where the caller is not passed along (the publish gate): any
     * authenticated principal, a metrics reader too, so that governance sees (and refuses) it rather than nobody.
     */
    @Bean
    CurrentActor currentActor() {
        return CurrentPrincipal::authenticated;
    }

    /**
     * Spring Security's strict firewall, which also refuses control characters in a query parameter's name or value:
     * a NUL in a filter would otherwise reach the database, which cannot take it.
     */
    @Bean
    HttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedParameterNames(SecurityConfiguration::printable);
        firewall.setAllowedParameterValues(SecurityConfiguration::printable);
        return firewall;
    }

    private static boolean printable(String text) {
        return text.codePoints().allMatch(c -> Character.isDefined(c) && !Character.isISOControl(c));
    }

    /** URLs the firewall refuses (an encoded slash, "..", ";", "//", control characters) answer as problems. */
    @Bean
    RequestRejectedHandler rejectedRequests(JsonMapper json) {
        return (request, response, e) -> Problems.write(request, response, json, HttpStatus.BAD_REQUEST,
                "rejected-url", Problems.rejected(e));
    }

    @Bean
    SecurityFilterChain meshSecurity(HttpSecurity http, ApiKeyStore keys, MeshSecurityProperties properties,
                                     ObjectProvider<JwtDecoder> jwtDecoder, JsonMapper json) throws Exception {
        boolean jwtEnabled = jwtDecoder.getIfAvailable() != null;
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers(json);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .anonymous(a -> a.principal("anonymous"))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(auth -> auth
                        // The request itself was authorized; its async dispatch (a streamed body) carries no key.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
                                "/swagger-ui/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/actuator/prometheus").hasAnyRole(Role.PLATFORM_ADMIN.name(),
                                Role.METRICS_READER.name())
                        .requestMatchers("/actuator/**").hasRole(Role.PLATFORM_ADMIN.name())
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        // A metrics reader's key is for the scrape only: everywhere else it is refused (403).
                        .anyRequest().access(SecurityConfiguration::meshActor))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, properties.bootstrapAdminKey(), jwtEnabled, json),
                        BearerTokenAuthenticationFilter.class);
        if (jwtEnabled) {
            http.oauth2ResourceServer(o -> o
                    .bearerTokenResolver(jwtOnly())
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .jwt(j -> j.jwtAuthenticationConverter(new JwtPrincipalConverter(properties.jwt()))));
        }
        return http.build();
    }

    /** Authenticated as a principal that may act in the mesh: anyone with a key or token but a metrics reader. */
    private static AuthorizationDecision meshActor(Supplier<? extends Authentication> authentication,
                                                   RequestAuthorizationContext request) {
        Authentication caller = authentication.get();
        boolean granted = caller != null && caller.isAuthenticated()
                && !(caller instanceof AnonymousAuthenticationToken)
                && !(caller instanceof MeshAuthentication mesh && !mesh.getPrincipal().role().actsInMesh());
        return new AuthorizationDecision(granted);
    }

    // API keys were handled already; only what is left is a JWT.
    private static BearerTokenResolver jwtOnly() {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        return request -> {
            if (SecurityContextHolder.getContext().getAuthentication() != null
                    && SecurityContextHolder.getContext().getAuthentication().isAuthenticated()) {
                return null;
            }
            String token = standard.resolve(request);
            return token == null || token.startsWith(ApiKeyAuthenticationFilter.KEY_PREFIX) ? null : token;
        };
    }
}
