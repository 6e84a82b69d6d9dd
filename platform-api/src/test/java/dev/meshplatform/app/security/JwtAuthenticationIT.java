package dev.meshplatform.app.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.meshplatform.app.MeshPlatformApplication;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.registry.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With a JWT issuer configured, tokens map to principals through the configured claims; API keys still work. */
@SpringBootTest(classes = MeshPlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwtAuthenticationIT {

    static final String ADMIN_KEY = "jwt-test-admin-key";
    static final KeyPair KEYS;
    static final Path PUBLIC_KEY;
    static final Path DATA;

    static {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KEYS = generator.generateKeyPair();
            DATA = Files.createTempDirectory("mesh-jwt-it");
            PUBLIC_KEY = DATA.resolve("issuer.pem");
            Files.writeString(PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    int port;
    Api api;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("mesh.storage.data-dir", DATA::toString);
        registry.add("mesh.security.bootstrap-admin-key", () -> ADMIN_KEY);
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + PUBLIC_KEY);
        registry.add("mesh.security.jwt.role-claim", () -> "platform_role");
        registry.add("mesh.security.jwt.domain-claim", () -> "team_domain");
    }

    @BeforeEach
    void connect() {
        api = new Api("http://127.0.0.1:" + port);
    }

    static String token(Map<String, Object> claims, Instant expires) throws Exception {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("alice").issueTime(new Date())
                .expirationTime(Date.from(expires));
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), builder.build());
        jwt.sign(new RSASSASigner(KEYS.getPrivate()));
        return jwt.serialize();
    }

    @Test
    void claimsBecomeThePrincipal() throws Exception {
        Instant later = Instant.now().plusSeconds(600);
        Api.Response me = api.get("/api/v1/me", token(Map.of("platform_role", "domain_owner",
                "team_domain", "sales"), later));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().path("name").asString()).isEqualTo("jwt:alice");
        assertThat(me.json().path("role").asString()).isEqualTo("DOMAIN_OWNER");
        assertThat(me.json().path("domain").asString()).isEqualTo("sales");

        String owner = token(Map.of("platform_role", "DOMAIN_OWNER", "team_domain", "sales"), later);
        assertThat(api.post("/api/v1/domains", owner, Map.of("name", "nope", "title", "t", "ownerTeam", "t"))
                .status()).isEqualTo(403);

        assertThat(api.get("/api/v1/me", ADMIN_KEY).json().path("role").asString()).isEqualTo("PLATFORM_ADMIN");

        // A scraper's token: no domain, the metrics and nothing else.
        String scraper = token(Map.of("platform_role", "metrics_reader"), later);
        assertThat(api.get("/actuator/prometheus", scraper).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", scraper).status()).isEqualTo(403);
    }

    @Test
    void badTokensGet401() throws Exception {
        Instant later = Instant.now().plusSeconds(600);
        Api.Response noRole = api.get("/api/v1/me", token(Map.of("team_domain", "sales"), later));
        assertThat(noRole.status()).isEqualTo(401);
        assertThat(noRole.code()).isEqualTo("invalid-token");
        assertThat(api.get("/api/v1/me", token(Map.of("platform_role", "CONSUMER"), later)).status())
                .isEqualTo(401);
        assertThat(api.get("/api/v1/me", token(Map.of("platform_role", "PLATFORM_ADMIN"),
                Instant.now().minusSeconds(600))).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/me", "eyJhbGciOiJub25lIn0.e30.").status()).isEqualTo(401);
        // A subject longer than the columns that record who did what (the principal's name is "jwt:" + subject).
        assertThat(api.get("/api/v1/me", token(Map.of("platform_role", "PLATFORM_ADMIN",
                "sub", "s".repeat(197)), later)).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/me", token(Map.of("platform_role", "PLATFORM_ADMIN",
                "sub", "s".repeat(196)), later)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", "mesh_unknownkey0_secret").code()).isEqualTo("invalid-api-key");
    }
}
