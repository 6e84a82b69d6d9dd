package dev.meshplatform.app.governance;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.security.MeshAuthorization;
import dev.meshplatform.app.web.DeprecationHeaders;
import dev.meshplatform.app.web.ResponseStreams;
import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.GovernanceProperties;
import dev.meshplatform.governance.api.ReadDecision;
import dev.meshplatform.governance.api.ServingKeys;
import dev.meshplatform.registry.api.RowFilter;
import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.registry.api.FieldType;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SchemaField;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The governed read of a product's output port, composed here as DESIGN.md says: governance decides (access, row
 * filters, masks), processing reads, and the rows are masked on their way out, one at a time.
 */
@RestController
@RequestMapping("/api/v1/domains/{domain}/products/{product}/data")
@Tag(name = "Governance")
class DataController {

    private static final Logger log = LoggerFactory.getLogger(DataController.class);
    static final MediaType CSV = MediaType.parseMediaType("text/csv");

    private final Access access;
    private final OutputPorts outputPorts;
    private final ProductCatalog products;
    private final GovernanceProperties properties;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final ServingKeys keys;
    private final ResponseStreams streams;

    DataController(Access access, OutputPorts outputPorts, ProductCatalog products, GovernanceProperties properties,
                   JsonMapper json, MeterRegistry meters, ServingKeys keys, ResponseStreams streams) {
        this.streams = streams;
        this.meters = meters;
        this.keys = keys;
        this.access = access;
        this.outputPorts = outputPorts;
        this.products = products;
        this.properties = properties;
        this.json = json;
    }

    /**
     * Where the next page starts, signed with the platform's cursor key: the snapshot read and the position of the
     * next row in that snapshot's scan plan (its file, the row group's start in it, the row), bound to the caller,
     * the product major and the query. A cursor cannot be forged, changed, moved to another product or query, or used
     * by another caller; access is decided again on every page all the same. Cursors of the earlier format ({@code
     * c1}: a count of rows served instead of a position) are still read, so that reads under way go on.
     *
     * @param position where the next page starts; null in an earlier cursor, which counts {@code offset} rows instead
     * @param offset   rows to skip from the start of the snapshot (earlier cursors only)
     */
    record Cursor(String caller, String product, int major, long snapshot, OutputPorts.ScanPosition position,
                  long offset, String query) {

        private static final String VERSION = "c2";
        private static final String OFFSET_VERSION = "c1";

        Cursor {
            if (position == null && offset < 1) {
                throw new IllegalArgumentException("a cursor starts at a position or after some rows");
            }
        }

        /** The next page of a read starts at {@code position}. */
        static Cursor at(String caller, String product, int major, long snapshot, OutputPorts.ScanPosition position,
                         String query) {
            return new Cursor(caller, product, major, snapshot, position, 0, query);
        }

        String encode(byte[] key) {
            String payload = position == null
                    ? String.join("\n", OFFSET_VERSION, caller, product, String.valueOf(major),
                    String.valueOf(snapshot), String.valueOf(offset), query)
                    : String.join("\n", VERSION, caller, product, String.valueOf(major), String.valueOf(snapshot),
                    position.file(), String.valueOf(position.splitStart()), String.valueOf(position.row()), query);
            Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
            return base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                    + base64.encodeToString(sign(key, payload));
        }

        static Cursor decode(String text, byte[] key) {
            try {
                int dot = text.indexOf('.');
                String payload = new String(Base64.getUrlDecoder().decode(text.substring(0, dot)),
                        StandardCharsets.UTF_8);
                byte[] signature = Base64.getUrlDecoder().decode(text.substring(dot + 1));
                if (!MessageDigest.isEqual(signature, sign(key, payload))) {
                    throw invalid("the cursor is not one this API gave out");
                }
                String[] parts = payload.split("\n", -1);
                if (parts.length == 9 && parts[0].equals(VERSION)) {
                    return at(parts[1], parts[2], Integer.parseInt(parts[3]), Long.parseLong(parts[4]),
                            new OutputPorts.ScanPosition(parts[5], Long.parseLong(parts[6]),
                                    Long.parseLong(parts[7])), parts[8]);
                }
                if (parts.length == 7 && parts[0].equals(OFFSET_VERSION)) {
                    return new Cursor(parts[1], parts[2], Integer.parseInt(parts[3]), Long.parseLong(parts[4]),
                            null, Long.parseLong(parts[5]), parts[6]);
                }
                throw invalid("the cursor is not one this API gave out");
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw invalid("the cursor is not one this API gave out");
            }
        }

        private static byte[] sign(byte[] key, String payload) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
            }
        }

        private static GovernanceException invalid(String why) {
            return new GovernanceException(GovernanceException.Reason.INVALID, "invalid-cursor", why);
        }
    }

    /** Who a cursor is bound to: the key or token, its role and its domain. */
    private static String caller(MeshPrincipal principal) {
        return principal.name() + "/" + principal.role() + "/" + (principal.domain() == null ? "" : principal.domain());
    }

    @GetMapping(produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    @Operation(operationId = "readData", summary = "Read a product's data, governed",
            description = "Rows of the output port, streamed as JSON (default) or CSV (Accept: text/csv). In order: "
                    + "the access decision (the owning domain's owners and members, admins, or a domain with an "
                    + "active grant; otherwise 403 access-denied), the grant's row filters, then masking of the "
                    + "columns mask policies name (never for the owning domain). columns: comma-separated, default "
                    + "all the caller may see; filter: column:op:value, repeatable (op eq, ne, lt, le, gt, ge, in "
                    + "with values separated by |, is_null, not_null); version: read the snapshot that version "
                    + "published (default: the newest released major's current data); snapshot: a snapshot id; "
                    + "cursor: the nextCursor of the previous page (pages stay on the first page's snapshot). Every "
                    + "decision is in the audit log. A deprecated version's reads carry Deprecation and Sunset "
                    + "headers; a retired version answers 410 version-retired; a version no run has published yet "
                    + "answers 404 not-yet-published.")
    @ApiResponse(responseCode = "200", description = "a page of rows", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DataPage.class)),
            @Content(mediaType = "text/csv", schema = @Schema(type = "string",
                    description = "a header line, then one line per row (RFC 4180)"))})
    ResponseEntity<StreamingResponseBody> read(@PathVariable String domain, @PathVariable String product,
                                               @RequestParam(required = false) List<String> columns,
                                               @RequestParam(required = false) List<String> filter,
                                               @RequestParam(required = false) Integer limit,
                                               @RequestParam(required = false) String cursor,
                                               @RequestParam(required = false) String version,
                                               @Parameter(schema = @Schema(type = "string",
                                                       pattern = "^-?[0-9]{1,20}$"))
                                               @RequestParam(required = false) Long snapshot,
                                               HttpServletRequest request) {
        MeshPrincipal principal = CurrentPrincipal.get();
        int pageSize = limit == null ? properties.servingDefaultLimit() : limit;
        if (pageSize < 1 || pageSize > properties.servingMaxLimit()) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-parameter",
                    "limit must be between 1 and " + properties.servingMaxLimit());
        }
        ProductVersionView read = version != null ? visibleVersion(principal, domain, product, version)
                : products.newest(domain, product, LifecycleStatus.served())
                .orElseGet(() -> products.newest(domain, product, LifecycleStatus.RETIRED)
                        .orElseThrow(() -> new GovernanceException(GovernanceException.Reason.NOT_FOUND,
                                "output-port-not-found", "product " + domain + "/" + product
                                + " has no released version")));
        if (read.status() == LifecycleStatus.RETIRED) {
            throw new GovernanceException(GovernanceException.Reason.GONE, "version-retired", "version "
                    + read.version() + " of " + domain + "/" + product + " is retired: its data is no longer served"
                    + " (read a newer major)");
        }
        List<String> requested = columns == null ? List.of()
                : columns.stream().flatMap(c -> java.util.Arrays.stream(c.split(","))).map(String::trim)
                .filter(c -> !c.isEmpty()).toList();
        List<RowFilter> filters = filter == null ? List.of() : filter.stream().map(RowFilter::parse).toList();
        String query = fingerprint(read.version(), requested, filters);
        byte[] cursorKey = keys.cursorSigningKey();
        Cursor from = cursor == null ? null : Cursor.decode(cursor, cursorKey);
        if (from != null) {
            if (!from.caller().equals(caller(principal))) {
                throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-cursor",
                        "the cursor was given to another caller: start from the first page");
            }
            if (!from.product().equals(domain + "/" + product) || from.major() != read.major()
                    || !from.query().equals(query)) {
                throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-cursor",
                        "the cursor belongs to another query: pass the same version, columns and filters as the "
                                + "first page");
            }
            if (snapshot != null && snapshot != from.snapshot()) {
                throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-cursor",
                        "the cursor reads snapshot " + from.snapshot() + ", not " + snapshot
                                + ": leave snapshot out or pass the same one");
            }
        }

        // Bad filters are bad input, not a decision: refused before anything is decided or audited.
        Map<String, SchemaField> schema = new java.util.HashMap<>();
        read.descriptor().schema().forEach(f -> schema.put(f.name(), f));
        List<OutputPorts.Condition> conditions = new ArrayList<>();
        filters.forEach(f -> conditions.add(condition(f, schema)));
        // A stream's slot before the decision: a read refused because every stream is taken (503) is neither decided
        // nor audited, and opens nothing. The body gives the slot back when it ends; a failure before then, here.
        ResponseStreams.Slot slot = streams.reserve();
        try {
            ReadDecision decision = access.decideRead(principal, read, requested,
                    filters.stream().map(RowFilter::column).toList());
            if (!decision.allowed()) {
                throw new GovernanceException(GovernanceException.Reason.FORBIDDEN, "access-denied", decision.reason());
            }
            decision.rowFilters().forEach(f -> conditions.add(condition(f, schema)));

            Long pinned = from != null ? Long.valueOf(from.snapshot()) : snapshot;
            String tag = pinned == null && version != null ? "v" + version : null;
            OutputPorts.RowScan scan = outputPorts.scan(domain, product, read.major(), new OutputPorts.ReadRequest(
                    decision.columns(), conditions, pageSize + 1, tag, pinned, from == null ? 0 : from.offset(),
                    from == null ? null : from.position()));
            boolean csv = wantsCsv(request);
            // CSV has no place for a cursor after its rows, so its page is read before the headers: the cursor header
            // is there only when a next page is (a page is at most mesh.governance.serving-max-limit rows).
            List<Map<String, Object>> csvPage = new ArrayList<>();
            boolean more;
            try {
                while (csv && csvPage.size() < pageSize && scan.hasNext()) {
                    csvPage.add(scan.next());
                }
                more = csv && scan.hasNext();
            } catch (RuntimeException e) {
                scan.close();
                throw e;
            }
            HttpHeaders headers = new HttpHeaders();
            headers.setContentType(csv ? new MediaType(CSV, StandardCharsets.UTF_8) : MediaType.APPLICATION_JSON);
            if (scan.snapshotId() != null) {
                headers.set("Mesh-Snapshot-Id", String.valueOf(scan.snapshotId()));
                if (more) {
                    headers.set("Mesh-Next-Cursor", Cursor.at(caller(principal), domain + "/" + product, read.major(),
                            scan.snapshotId(), scan.position(), query).encode(cursorKey));
                }
            }
            if (!decision.masks().isEmpty()) {
                headers.set("Mesh-Masked-Columns", String.join(",", decision.masks().keySet()));
            }
            headers.addAll(DeprecationHeaders.of(read));
            StreamingResponseBody body = out -> {
                try (slot; scan) {
                    int served = csv ? writeCsv(out, scan.columns(), csvPage, decision)
                            : writeJson(out, scan, decision, pageSize, position -> Cursor.at(caller(principal),
                            domain + "/" + product, read.major(), scan.snapshotId(), position, query)
                            .encode(cursorKey));
                    io.micrometer.core.instrument.Counter.builder("mesh.governance.rows.served")
                            .description("rows served to readers, by whether masks applied")
                            .tags("domain", domain, "product", product, "masked",
                                    String.valueOf(!decision.masks().isEmpty()))
                            .register(meters).increment(served);
                } catch (RuntimeException e) {
                    log.warn("Serving {}/{} to {} stopped: {}", domain, product, principal.name(),
                            e instanceof tools.jackson.core.JacksonException jackson ? jackson.getOriginalMessage()
                                    : e.getMessage());
                    throw e;
                }
            };
            return ResponseEntity.ok().headers(headers).body(body);
        } catch (RuntimeException | Error e) {
            slot.close();
            throw e;
        }
    }

    /** A version the caller may know of: drafts do not exist for readers outside the owning domains (as in the catalog). */
    private ProductVersionView visibleVersion(MeshPrincipal principal, String domain, String product, String version) {
        ProductVersionView found = products.getVersion(domain, product, version);
        if (found.status() == LifecycleStatus.DRAFT && !MeshAuthorization.seesDrafts(principal)) {
            throw new RegistryException(RegistryException.Reason.NOT_FOUND, "version-not-found",
                    "version " + version + " of " + domain + "/" + product + " does not exist");
        }
        return found;
    }

    private static boolean wantsCsv(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null) {
            return false;
        }
        List<MediaType> types = MediaType.parseMediaTypes(accept);
        types = new ArrayList<>(types);
        types.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : types) {
            if (type.isCompatibleWith(CSV) && !type.isWildcardType()) {
                return true;
            }
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return false;
            }
        }
        return false;
    }

    /** The JSON page {@link #writeJson} streams, for the API's documentation. */
    @Schema(name = "DataPage")
    record DataPage(
            @Schema(description = "the columns of every row, in order") List<String> columns,
            @Schema(description = "the masked columns and how each is masked") Map<String, String> masked,
            @Schema(description = "the snapshot every page of this read comes from", pattern = "^-?[0-9]{1,20}$")
            String snapshotId,
            @Schema(description = "the rows, column name to value") List<Map<String, Object>> rows,
            @Schema(description = "pass as cursor for the next page; null on the last page",
                    types = {"string", "null"}) String nextCursor) {
    }

    /** @param cursor the next page's cursor, starting at a position */
    private int writeJson(java.io.OutputStream out, OutputPorts.RowScan scan, ReadDecision decision, int pageSize,
                          java.util.function.Function<OutputPorts.ScanPosition, String> cursor) {
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("columns");
            g.writePOJO(scan.columns());
            g.writeName("masked");
            g.writePOJO(decision.masks());
            g.writeName("snapshotId");
            // A string: a 64-bit snapshot id does not survive a JSON number in JavaScript.
            g.writePOJO(scan.snapshotId() == null ? null : String.valueOf(scan.snapshotId()));
            g.writeName("rows");
            g.writeStartArray();
            int served = 0;
            while (served < pageSize && scan.hasNext()) {
                g.writePOJO(decision.masker().apply(decision.masks(), scan.next()));
                served++;
            }
            g.writeEndArray();
            g.writeName("nextCursor");
            // The row after the page is read already (the scan's limit is one more than the page): its position is
            // where the next page starts.
            g.writePOJO(scan.hasNext() && scan.snapshotId() != null ? cursor.apply(scan.position()) : null);
            g.writeEndObject();
            return served;
        }
    }

    private int writeCsv(java.io.OutputStream out, List<String> columns, List<Map<String, Object>> page,
                         ReadDecision decision) throws java.io.IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        writer.write(String.join(",", columns.stream().map(DataController::csvText).toList()));
        writer.write("\r\n");
        int served = 0;
        for (Map<String, Object> scanned : page) {
            Map<String, Object> row = decision.masker().apply(decision.masks(), scanned);
            boolean first = true;
            for (String column : columns) {
                if (!first) {
                    writer.write(',');
                }
                first = false;
                Object value = row.get(column);
                if (value != null) {
                    writer.write(csvText(value instanceof Map<?, ?> || value instanceof List<?>
                            ? json.writeValueAsString(value)
                            : value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value)));
                }
            }
            writer.write("\r\n");
            served++;
        }
        writer.flush();
        return served;
    }

    private static String csvText(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String fingerprint(String version, List<String> columns, List<RowFilter> filters) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((version + "|" + columns + "|"
                    + filters.stream().map(RowFilter::text).toList()).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A filter with its values typed as the column is, so that the reader compares like with like. */
    private static OutputPorts.Condition condition(RowFilter filter, Map<String, SchemaField> schema) {
        SchemaField field = schema.get(filter.column());
        if (field == null) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-filter",
                    "filter '" + filter.text() + "': there is no column '" + filter.column() + "'");
        }
        OutputPorts.Operator operator = OutputPorts.Operator.valueOf(filter.operator().name());
        List<Object> values = new ArrayList<>();
        for (String value : filter.values()) {
            values.add(typed(filter, field.type(), value));
        }
        Object value = operator == OutputPorts.Operator.IN ? values : values.isEmpty() ? null : values.get(0);
        return new OutputPorts.Condition(filter.column(), operator, value);
    }

    private static Object typed(RowFilter filter, String type, String value) {
        try {
            return FieldType.parse(type).filterValue(value);
        } catch (IllegalArgumentException e) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-filter",
                    "filter '" + filter.text() + "': " + e.getMessage());
        }
    }
}
