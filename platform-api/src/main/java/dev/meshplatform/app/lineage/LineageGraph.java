package dev.meshplatform.app.lineage;

import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.AuditEntry;
import dev.meshplatform.governance.api.AuditLog;
import dev.meshplatform.governance.api.GrantView;
import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Product lineage: product majors linked through the input ports their newest visible versions declare, with their
 * topics and tables, their consumers (active grants) and, for the owning domain and admins, who read them.
 */
@Component
class LineageGraph {

    /** At most this many audit entries are counted per product for its readers. */
    static final int MAX_AUDIT_ENTRIES = 10_000;

    private final ProductCatalog products;
    private final Access access;
    private final AuditLog audit;
    private final Clock clock;

    LineageGraph(ProductCatalog products, Access access, AuditLog audit, Clock clock) {
        this.products = products;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
    }

    @Schema(description = "A product major in the lineage: its newest version the caller may see, and its names")
    record Node(String key, String domain, String product, int major, String version, LifecycleStatus status,
                String title, String topic, String rawTable, String outputTable) {
    }

    @Schema(description = "An input port: `to` reads `from`'s output port")
    record Edge(String from, String to, String port, String purpose) {
    }

    @Schema(description = "A domain holding an active grant on the product")
    record Consumer(String domain, String purpose, String grantId, List<String> columns, Instant expiresAt) {
    }

    @Schema(description = "Who read the product's data (through the API, or as a run's input) in the window")
    record Reader(String domain, String actor, long reads, Instant lastRead) {
    }

    /** What the caller may see: drafts of its own domain (or all, for admins). */
    interface Visibility {
        boolean seesDrafts(String domain);
    }

    /** The graph around {@code roots}, {@code depth} input-port hops up and down. */
    Graph around(Set<ProductMajor> roots, int depth, Visibility visibility) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<String, ProductVersionView> versions = new HashMap<>();
        // Every served major's newest served version in one read; roots and drafts the caller sees, one by one.
        Map<ProductMajor, ProductVersionView> served = new LinkedHashMap<>();
        products.servedNewest().forEach(v -> served.put(ProductMajor.of(v), v));
        Set<ProductMajor> candidates = new LinkedHashSet<>(roots);
        candidates.addAll(served.keySet());
        for (ProductMajor major : candidates) {
            Optional<ProductVersionView> newest = roots.contains(major) || visibility.seesDrafts(major.domain())
                    ? newestVisible(major, visibility) : Optional.of(served.get(major));
            newest.ifPresent(v -> {
                nodes.put(major.key(), node(major, v));
                versions.put(major.key(), v);
            });
        }
        // Every edge between visible majors: the downstream's newest visible version declares it.
        List<Edge> all = new ArrayList<>();
        versions.forEach((key, version) -> {
            for (InputPort input : version.descriptor().productInputs()) {
                String upstream = new ProductMajor(input.domain(), input.product(), input.majorVersion()).key();
                all.add(new Edge(upstream, key, input.name(), input.purpose()));
            }
        });
        Set<String> up = walk(roots, depth, all, true);
        Set<String> down = walk(roots, depth, all, false);
        Set<String> rootKeys = new LinkedHashSet<>();
        roots.forEach(r -> rootKeys.add(r.key()));
        Set<String> kept = new LinkedHashSet<>(rootKeys);
        kept.addAll(up);
        kept.addAll(down);
        List<Edge> edges = all.stream().filter(e -> kept.contains(e.from()) && kept.contains(e.to()))
                .sorted(Comparator.comparing(Edge::from).thenComparing(Edge::to)).toList();
        return new Graph(rootKeys.stream().map(nodes::get).filter(n -> n != null).toList(),
                up.stream().filter(k -> !rootKeys.contains(k)).map(k -> nodes.getOrDefault(k, outside(k)))
                        .sorted(Comparator.comparing(Node::key)).toList(),
                down.stream().filter(k -> !rootKeys.contains(k)).map(nodes::get).filter(n -> n != null)
                        .sorted(Comparator.comparing(Node::key)).toList(),
                edges, versions);
    }

    /** The graph: its roots, what they read (transitively), what reads them, and the edges between. */
    record Graph(List<Node> roots, List<Node> upstream, List<Node> downstream, List<Edge> edges,
                 Map<String, ProductVersionView> versions) {
    }

    List<Consumer> consumers(String domain, String product) {
        List<Consumer> consumers = new ArrayList<>();
        int page = 0;
        PageResult<GrantView> grants;
        do {
            grants = access.grants(new Access.GrantQuery(domain, product, null, null, true, page++, 200));
            for (GrantView grant : grants.items()) {
                consumers.add(new Consumer(grant.granteeDomain(), grant.purpose(), grant.id(), grant.columns(),
                        grant.expiresAt()));
            }
        } while (grants.items().size() == 200);
        consumers.sort(Comparator.comparing(Consumer::domain).thenComparing(Consumer::grantId));
        return consumers;
    }

    /** Who read the product in the last {@code days} days, from the audit (allowed reads and runs' input reads). */
    List<Reader> readers(String domain, String product, int days) {
        Instant since = clock.instant().minus(Duration.ofDays(days));
        Map<String, Reader> byActor = new TreeMap<>();
        int counted = 0;
        for (AuditEntry.Action action : List.of(AuditEntry.Action.READ_DATA, AuditEntry.Action.READ_INPUT)) {
            int page = 0;
            PageResult<AuditEntry> entries;
            do {
                entries = audit.list(new AuditLog.AuditQuery(domain, product, null, action, "ALLOWED", since, null,
                        page++, 500));
                for (AuditEntry entry : entries.items()) {
                    String key = entry.actorDomain() + "\u0000" + entry.actor();
                    Reader seen = byActor.get(key);
                    byActor.put(key, new Reader(entry.actorDomain(), entry.actor(),
                            seen == null ? 1 : seen.reads() + 1,
                            seen == null || entry.at().isAfter(seen.lastRead()) ? entry.at() : seen.lastRead()));
                    counted++;
                }
            } while (entries.items().size() == 500 && counted < MAX_AUDIT_ENTRIES);
        }
        return List.copyOf(byActor.values());
    }

    Optional<ProductVersionView> newestVisible(ProductMajor major, Visibility visibility) {
        try {
            return visibility.seesDrafts(major.domain())
                    ? products.newest(major.domain(), major.product(), major.major())
                    : products.newest(major.domain(), major.product(), major.major(), LifecycleStatus.PUBLISHED,
                    LifecycleStatus.DEPRECATED, LifecycleStatus.RETIRED);
        } catch (RegistryException notFound) {
            return Optional.empty();
        }
    }

    private static Set<String> walk(Set<ProductMajor> roots, int depth, List<Edge> edges, boolean upstream) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<Map.Entry<String, Integer>> queue = new ArrayDeque<>();
        roots.forEach(r -> queue.add(Map.entry(r.key(), 0)));
        while (!queue.isEmpty()) {
            Map.Entry<String, Integer> at = queue.poll();
            if (at.getValue() >= depth) {
                continue;
            }
            for (Edge edge : edges) {
                String next = upstream ? (edge.to().equals(at.getKey()) ? edge.from() : null)
                        : (edge.from().equals(at.getKey()) ? edge.to() : null);
                if (next != null && seen.add(next)) {
                    queue.add(Map.entry(next, at.getValue() + 1));
                }
            }
        }
        return seen;
    }

    private static Node node(ProductMajor major, ProductVersionView version) {
        return new Node(major.key(), major.domain(), major.product(), major.major(), version.version(),
                version.status(), version.descriptor().title(), major.topic(),
                major.namespace() + "." + major.rawTable(), major.namespace() + "." + major.outputTable());
    }

    /** An upstream the caller may not see (or that is not released): named, nothing more. */
    private static Node outside(String key) {
        String[] parts = key.split("/");
        int major = Integer.parseInt(parts[2].substring(1));
        return new Node(key, parts[0], parts[1], major, null, null, null, null, null, null);
    }

    static ColumnLineage lineageOf(ProductCatalog products, ProductVersionView version) {
        return products.columnLineage(version.domain(), version.product(), version.version())
                .orElseGet(() -> ColumnLineage.unavailable("the version was applied before column lineage was "
                        + "computed; apply it again to compute it"));
    }
}
