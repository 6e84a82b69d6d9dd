package dev.meshplatform.app.bench;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.GovernedProducts;
import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.Policies;
import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Governance's costs, printed, never asserted: access decisions per second and their latency (grant lookup,
 * ACCESS and MASK policies in CEL, the audit insert), publish-gate evaluations, and governed serving of a product of
 * {@code mesh.bench.rows} (default 1,000,000) rows streamed over HTTP, with masking off (the owning domain) and on
 * (a grantee: two columns hashed, one redacted), as JSON and as CSV.
 * Run: {@code ./mvnw -Pbench -pl platform-api -am verify -Dit.test=GovernanceBenchmark} (docs/benchmarks.md).
 */
class GovernanceBenchmark extends BenchmarkPlatform {

    static final long ROWS = Long.getLong("mesh.bench.rows", 1_000_000);
    static final int DECISIONS = Integer.getInteger("mesh.bench.decisions", 20_000);
    @DynamicPropertySource
    static void governanceSettings(DynamicPropertyRegistry registry) {
        registry.add("mesh.processing.compaction-interval", () -> "0s");
    }

    @Autowired
    Access access;
    @Autowired
    Policies policies;
    @Autowired
    ProductCatalog products;
    @Autowired
    OutputPorts outputPorts;
    @Autowired
    org.apache.iceberg.catalog.Catalog catalog;

    @Test
    void decisionsAndServing() throws Exception {
        Api api = api();
        require(api.post("/api/v1/domains", ADMIN, Map.of("name", "sales", "title", "Sales", "ownerTeam", "s")), 201);
        require(api.post("/api/v1/domains", ADMIN, Map.of("name", "marketing", "title", "M", "ownerTeam", "m")), 201);
        String owner = secret(api.post("/api/v1/api-keys", ADMIN, Map.of("name", "o", "role", "DOMAIN_OWNER",
                "domain", "sales")));
        String analyst = secret(api.post("/api/v1/api-keys", ADMIN, Map.of("name", "a", "role", "CONSUMER",
                "domain", "marketing")));
        long started = System.nanoTime();
        GovernedProducts.publishAndRun(api, ADMIN, "sales", "customers", GovernedProducts.customers(ROWS));
        System.out.printf("%n[bench] governance: product of %,d rows written by a run in %.1f s%n", ROWS,
                (System.nanoTime() - started) / 1e9);
        Api.Response requested = api.post("/api/v1/domains/sales/products/customers/access-requests", analyst,
                Map.of("purpose", "analytics", "duration", "P1D"));
        require(requested, 201);
        require(api.post("/api/v1/domains/sales/products/customers/access-requests/"
                + requested.json().path("id").asString() + "/approve", owner, Map.of()), 200);

        ProductVersionView version = products.getVersion("sales", "customers", "1.0.0");
        MeshPrincipal grantee = new MeshPrincipal("bench-analyst", Role.CONSUMER, "marketing");
        MeshPrincipal member = new MeshPrincipal("bench-member", Role.DOMAIN_MEMBER, "sales");
        decisions("read decision, grantee (grant + ACCESS + 9 columns × MASK policies + audit)",
                () -> access.decideRead(grantee, version, List.of(), List.of()));
        decisions("read decision, owning domain (ACCESS policies + audit)",
                () -> access.decideRead(member, version, List.of(), List.of()));
        decisions("publish-gate evaluation (6 GATE policies, no audit)",
                () -> policies.evaluate("sales", "customers", "1.0.0", version.descriptor()));
        concurrentDecisions(() -> access.decideRead(grantee, version, List.of(), List.of()));

        String data = "http://127.0.0.1:" + port + "/api/v1/domains/sales/products/customers/data?limit=" + ROWS;
        for (int round = 1; round <= 2; round++) {
            serve("round " + round + ", JSON, masking off (owning domain)", data, owner, "application/json");
            serve("round " + round + ", JSON, masking on  (grantee: 2 hashed, 1 redacted)", data, analyst,
                    "application/json");
            serve("round " + round + ", CSV,  masking off (owning domain)", data, owner, "text/csv");
            serve("round " + round + ", CSV,  masking on  (grantee: 2 hashed, 1 redacted)", data, analyst,
                    "text/csv");
        }
        layout(version.major());
        deepPages(version.major(), owner);
    }

    /** How the output table lies in files and row groups: what a page at depth has to skip. */
    private void layout(int major) {
        dev.meshplatform.registry.api.ProductMajor output =
                new dev.meshplatform.registry.api.ProductMajor("sales", "customers", major);
        org.apache.iceberg.Table table = catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of(
                output.namespace(), output.outputTable()));
        int files = 0;
        int rowGroups = 0;
        long bytes = 0;
        try (var tasks = table.newScan().planFiles()) {
            for (org.apache.iceberg.FileScanTask task : tasks) {
                files++;
                bytes += task.file().fileSizeInBytes();
                rowGroups += task.file().splitOffsets() == null ? 1 : task.file().splitOffsets().size();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.printf("[bench] output table: %,d rows in %d files, %d row groups (%,d rows each on average), "
                + "%.1f MB%n", ROWS, files, rowGroups, ROWS / Math.max(1, rowGroups), bytes / 1e6);
    }

    /**
     * What one page of 1,000 rows costs at the start, the middle and the end, paged as a client pages: from the
     * position the page before it ended at. In process (the reader alone), then over HTTP with the cursor a page of
     * {@code depth} rows gave out (decision, audit and JSON included).
     */
    private void deepPages(int major, String key) throws Exception {
        long[] depths = {0, ROWS / 2, Math.max(0, ROWS - 1_000)};
        for (long depth : depths) {
            Long snapshot = null;
            OutputPorts.ScanPosition from = null;
            if (depth > 0) {
                try (OutputPorts.RowScan before = outputPorts.scan("sales", "customers", major,
                        new OutputPorts.ReadRequest(List.of(), List.of(), (int) depth + 1, null, null))) {
                    for (long row = 0; row < depth; row++) {
                        before.next();
                    }
                    from = before.position();
                    snapshot = before.snapshotId();
                }
            }
            long best = bestPageOf3(major, snapshot, from);
            System.out.printf("[bench] one page of 1,000 rows after %,d rows, in process, from %s: %.1f ms "
                    + "(best of 3)%n", depth, from, best / 1e6);
        }
        worstPage(major);
        String data = "http://127.0.0.1:" + port + "/api/v1/domains/sales/products/customers/data";
        for (long depth : depths) {
            String cursor = depth == 0 ? "" : "&cursor=" + nextCursor(data + "?limit=" + depth, key);
            long best = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3; attempt++) {
                long started = System.nanoTime();
                String page = get(data + "?limit=1000" + cursor, key);
                best = Math.min(best, System.nanoTime() - started);
                if (!page.contains("\"rows\":[")) {
                    throw new IllegalStateException("not a page: " + page);
                }
            }
            System.out.printf("[bench] one page of 1,000 rows after %,d rows, over HTTP with a cursor: %.1f ms "
                    + "(best of 3)%n", depth, best / 1e6);
        }
    }

    /** The fastest of three reads, in process, of the page of 1,000 rows at {@code from}: nanoseconds. */
    private long bestPageOf3(int major, Long snapshot, OutputPorts.ScanPosition from) {
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++) {
            long started = System.nanoTime();
            try (OutputPorts.RowScan page = outputPorts.scan("sales", "customers", major,
                    new OutputPorts.ReadRequest(List.of(), List.of(), 1_000, null, snapshot, 0, from))) {
                page.forEachRemaining(row -> { });
            }
            best = Math.min(best, System.nanoTime() - started);
        }
        return best;
    }

    /**
     * The most a page has to decode before its first row: a page whose first row is 1,000 rows before the end of a
     * row group (found from the middle of the table on, where a file starts) decodes the rest of that row group first.
     */
    private void worstPage(int major) {
        OutputPorts.ScanPosition groupStart;
        long snapshot;
        long rowsInGroup = 0;
        try (OutputPorts.RowScan scan = outputPorts.scan("sales", "customers", major,
                new OutputPorts.ReadRequest(List.of("id"), List.of(), Integer.MAX_VALUE, null, null, ROWS / 2))) {
            groupStart = scan.position();
            snapshot = scan.snapshotId();
            for (OutputPorts.ScanPosition at = groupStart; at != null && at.file().equals(groupStart.file())
                    && at.splitStart() == groupStart.splitStart(); at = scan.position()) {
                scan.next();
                rowsInGroup++;
            }
        }
        OutputPorts.ScanPosition from = new OutputPorts.ScanPosition(groupStart.file(), groupStart.splitStart(),
                groupStart.row() + Math.max(0, rowsInGroup - 1_000));
        long best = bestPageOf3(major, snapshot, from);
        System.out.printf("[bench] one page of 1,000 rows at the end of a row group of %,d rows (decodes %,d rows "
                + "before it), in process: %.1f ms (best of 3)%n", rowsInGroup, Math.max(0, rowsInGroup - 1_000),
                best / 1e6);
    }

    /** The nextCursor of a page, read from the end of its JSON as it streams past. */
    private static String nextCursor(String url, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofMinutes(10)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] tail = new byte[1 << 13];
        int filled = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                int keep = Math.min(tail.length - n, filled);
                if (keep < 0) {
                    System.arraycopy(buffer, n - tail.length, tail, 0, tail.length);
                    filled = tail.length;
                } else {
                    System.arraycopy(tail, filled - keep, tail, 0, keep);
                    System.arraycopy(buffer, 0, tail, keep, n);
                    filled = keep + n;
                }
            }
        }
        String end = new String(tail, 0, filled, java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher cursor = java.util.regex.Pattern.compile("\"nextCursor\":\"([^\"]+)\"")
                .matcher(end);
        if (response.statusCode() != 200 || !cursor.find()) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + end);
        }
        return cursor.group(1);
    }

    private static String get(String url, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofMinutes(1)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static void decisions(String what, Runnable decision) {
        for (int i = 0; i < DECISIONS / 10; i++) {
            decision.run();
        }
        long[] nanos = new long[DECISIONS];
        long started = System.nanoTime();
        for (int i = 0; i < DECISIONS; i++) {
            long t = System.nanoTime();
            decision.run();
            nanos[i] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(nanos);
        System.out.printf("[bench] %s: %,.0f decisions/s on 1 thread, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                what, DECISIONS / seconds, nanos[DECISIONS / 2] / 1e6, nanos[(int) (DECISIONS * 0.99)] / 1e6,
                nanos[DECISIONS - 1] / 1e6);
    }

    private static void concurrentDecisions(Runnable decision) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < DECISIONS / threads; i++) {
                        decision.run();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("[bench] read decision, grantee, %d threads: %,.0f decisions/s%n", threads,
                    (DECISIONS / threads * threads) / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void serve(String what, String url, String key, String accept) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Accept", accept).timeout(Duration.ofMinutes(10)).build();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + ": " + response.statusCode());
        }
        long bytes = 0;
        long newlines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        newlines++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long rows = accept.equals("text/csv") ? newlines - 1 : ROWS;
        if (rows != ROWS) {
            throw new IllegalStateException(what + ": served " + rows + " rows, not " + ROWS);
        }
        System.out.printf("[bench] serving %s: %,d rows in %.2f s = %,.0f rows/s, %.1f MB/s%n", what, rows, seconds,
                rows / seconds, bytes / seconds / 1e6);
    }

    private static String secret(Api.Response issued) {
        require(issued, 201);
        return issued.json().path("secret").asString();
    }
}
