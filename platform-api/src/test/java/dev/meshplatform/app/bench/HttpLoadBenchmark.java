package dev.meshplatform.app.bench;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.app.testsupport.PlatformProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP paths under load, printed, never asserted: the platform as the README runs it (its own JVM with the JVM's
 * defaults, the embedded default), driven from this JVM by {@link HttpLoad} with 4 and 32 connections. Registry
 * reads (the domain list, a product, a catalog search) and small governed reads of a product of 10,000 rows: pages of
 * 8 and 100 rows as a grantee whose grant masks three columns, and as the owning domain (nothing masked).
 * Run: {@code ./mvnw -Pbench -pl platform-api -am verify -Dit.test=HttpLoadBenchmark} (docs/benchmarks.md);
 * {@code -Dmesh.bench.seconds=15} measured per load after {@code -Dmesh.bench.warm-up-seconds=5};
 * {@code -Dmesh.bench.paths=registry,grantee} runs only the loads whose names contain one of these;
 * {@code -Dmesh.bench.jfr=/tmp/http.jfr} records the platform with Java Flight Recorder during the loads, keeps the
 * recording there and prints where the platform's CPU samples fell.
 */
class HttpLoadBenchmark {

    static final Duration MEASURED = Duration.ofSeconds(Long.getLong("mesh.bench.seconds", 15));
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("mesh.bench.warm-up-seconds", 5));
    static final List<Integer> CONNECTIONS = Arrays.stream(System.getProperty("mesh.bench.connections", "4,32")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    static final String JFR = System.getProperty("mesh.bench.jfr");
    /** Which loads run: those whose name contains one of these (comma-separated); all by default. */
    static final List<String> PATHS = Arrays.stream(System.getProperty("mesh.bench.paths", "").split(","))
            .map(String::trim).filter(p -> !p.isEmpty()).toList();

    @Test
    void httpPaths() throws Exception {
        Path work = Files.createTempDirectory("mesh-http-bench");
        String admin = "bench-admin-" + UUID.randomUUID();
        try (PlatformProcess platform = PlatformProcess.forBenchmark("platform", work,
                // Whole stacks: a request crosses more than JFR's default 64 frames of filters and proxies.
                JFR == null ? List.of() : List.of("-XX:FlightRecorderOptions:stackdepth=1024"),
                // No compaction: its first pass would start the platform's Spark session in the middle of a load.
                List.of("--mesh.security.bootstrap-admin-key=" + admin, "--mesh.processing.compaction-interval=0")).start(PlatformProcess.BUSY_MACHINE_START)) {
            Api api = platform.api();
            BenchmarkPlatform.require(api.post("/api/v1/domains", admin,
                    Map.of("name", "sales", "title", "Sales", "ownerTeam", "s")), 201);
            BenchmarkPlatform.require(api.post("/api/v1/domains", admin,
                    Map.of("name", "marketing", "title", "Marketing", "ownerTeam", "m")), 201);
            String owner = secret(api.post("/api/v1/api-keys", admin, Map.of("name", "o", "role", "DOMAIN_OWNER",
                    "domain", "sales")));
            String analyst = secret(api.post("/api/v1/api-keys", admin, Map.of("name", "a", "role", "CONSUMER",
                    "domain", "marketing")));
            GovernedProducts.publishAndRun(api, admin, "sales", "customers", GovernedProducts.customers(10_000));
            Api.Response requested = api.post("/api/v1/domains/sales/products/customers/access-requests", analyst,
                    Map.of("purpose", "analytics", "duration", "P1D"));
            BenchmarkPlatform.require(requested, 201);
            BenchmarkPlatform.require(api.post("/api/v1/domains/sales/products/customers/access-requests/"
                    + requested.json().path("id").asString() + "/approve", owner, Map.of()), 200);

            System.out.printf("%n[bench] http: %s measured per load after a %s warm-up; platform pid %d%n",
                    MEASURED, WARM_UP, platform.pid());
            if (JFR != null) {
                jcmd(platform.pid(), "JFR.start", "name=bench", "settings=profile");
            }
            String data = "/api/v1/domains/sales/products/customers/data";
            load(platform, api, "registry GET /api/v1/domains", "/api/v1/domains", analyst);
            load(platform, api, "registry GET a product", "/api/v1/domains/sales/products/customers", analyst);
            load(platform, api, "registry catalog search", "/api/v1/products?q=cust", analyst);
            load(platform, api, "governed read, 8 rows, grantee (3 columns masked)", data + "?limit=8", analyst);
            load(platform, api, "governed read, 100 rows, grantee (3 columns masked)", data + "?limit=100", analyst);
            load(platform, api, "governed read, 100 rows, owning domain (unmasked)", data + "?limit=100", owner);
            if (JFR != null) {
                jcmd(platform.pid(), "JFR.dump", "name=bench", "filename=" + Path.of(JFR).toAbsolutePath());
                FlightProfile.print(Path.of(JFR));
            }
        }
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> line = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + output);
        }
    }

    private static void load(PlatformProcess platform, Api api, String name, String path, String key)
            throws Exception {
        if (!PATHS.isEmpty() && PATHS.stream().noneMatch(name::contains)) {
            return;
        }
        // Every path answers before it is loaded: a benchmark of error answers measures nothing.
        BenchmarkPlatform.require(api.get(path, key), 200);
        for (int connections : CONNECTIONS) {
            HttpLoad.Result result = HttpLoad.run(name, URI.create(platform.baseUrl() + path), key, connections,
                    WARM_UP, MEASURED, ProcessHandle.of(platform.pid()).orElseThrow());
            System.out.println("[bench] http " + result.line());
        }
    }

    private static String secret(Api.Response issued) {
        BenchmarkPlatform.require(issued, 201);
        return issued.json().path("secret").asString();
    }
}
