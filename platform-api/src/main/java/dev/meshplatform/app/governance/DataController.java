package dev.meshplatform.app.governance;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.security.MeshAuthorization;
import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.GovernanceProperties;
import dev.meshplatform.governance.api.ReadDecision;
import dev.meshplatform.governance.api.RowFilter;
import dev.meshplatform.processing.api.OutputPorts;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SchemaField;
import io.swagger.v3.oas.annotations.Operation;
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
import java.util.zip.CRC32;

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

    DataController(Access access, OutputPorts outputPorts, ProductCatalog products, GovernanceProperties properties,
                   JsonMapper json, MeterRegistry meters) {
        this.meters = meters;
        this.access = access;
        this.outputPorts = outputPorts;
        this.products = products;
        this.properties = properties;
        this.json = json;
    }

    /** Where the next page starts: the snapshot read, the rows served so far, and which query they belong to. */
    record Cursor(long snapshot, long offset, long query) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (snapshot + ":" + offset + ":" + query).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":");
                return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-cursor",
                        "the cursor is not one this API gave out");
            }
        }
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
                    + "decision is in the audit log.")
    ResponseEntity<StreamingResponseBody> read(@PathVariable String domain, @PathVariable String product,
                                               @RequestParam(required = false) List<String> columns,
                                               @RequestParam(required = false) List<String> filter,
                                               @RequestParam(required = false) Integer limit,
                                               @RequestParam(required = false) String cursor,
                                               @RequestParam(required = false) String version,
                                               @RequestParam(required = false) Long snapshot,
                                               HttpServletRequest request) {
        MeshPrincipal principal = CurrentPrincipal.get();
        int pageSize = limit == null ? properties.servingDefaultLimit() : limit;
        if (pageSize < 1 || pageSize > properties.servingMaxLimit()) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-parameter",
                    "limit must be between 1 and " + properties.servingMaxLimit());
        }
        ProductVersionView read = version != null ? visibleVersion(principal, domain, product, version)
                : products.newest(domain, product, LifecycleStatus.released())
                .orElseThrow(() -> new GovernanceException(GovernanceException.Reason.NOT_FOUND,
                        "output-port-not-found", "product " + domain + "/" + product + " has no released version"));
        List<String> requested = columns == null ? List.of()
                : columns.stream().flatMap(c -> java.util.Arrays.stream(c.split(","))).map(String::trim)
                .filter(c -> !c.isEmpty()).toList();
        List<RowFilter> filters = filter == null ? List.of() : filter.stream().map(RowFilter::parse).toList();
        long query = fingerprint(read.version(), requested, filters);
        Cursor from = cursor == null ? null : Cursor.decode(cursor);
        if (from != null && from.query() != query) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-cursor",
                    "the cursor belongs to another query: pass the same version, columns and filters as the first "
                            + "page");
        }

        // Bad filters are bad input, not a decision: refused before anything is decided or audited.
        Map<String, SchemaField> schema = new java.util.HashMap<>();
        read.descriptor().schema().forEach(f -> schema.put(f.name(), f));
        List<OutputPorts.Condition> conditions = new ArrayList<>();
        filters.forEach(f -> conditions.add(condition(f, schema)));
        ReadDecision decision = access.decideRead(principal, read, requested,
                filters.stream().map(RowFilter::column).toList());
        if (!decision.allowed()) {
            throw new GovernanceException(GovernanceException.Reason.FORBIDDEN, "access-denied", decision.reason());
        }
        decision.rowFilters().forEach(f -> conditions.add(condition(f, schema)));

        Long pinned = from != null ? Long.valueOf(from.snapshot()) : snapshot;
        String tag = pinned == null && version != null ? "v" + version : null;
        long offset = from == null ? 0 : from.offset();
        OutputPorts.RowScan scan = outputPorts.scan(domain, product, read.major(), new OutputPorts.ReadRequest(
                decision.columns(), conditions, pageSize + 1, tag, pinned, offset));
        boolean csv = wantsCsv(request);
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(csv ? new MediaType(CSV, StandardCharsets.UTF_8) : MediaType.APPLICATION_JSON);
        if (scan.snapshotId() != null) {
            headers.set("Mesh-Snapshot-Id", String.valueOf(scan.snapshotId()));
            // CSV has no place for a cursor after its rows: where the next page would start (a short page is the last).
            headers.set("Mesh-Next-Cursor", new Cursor(scan.snapshotId(), offset + pageSize, query).encode());
        }
        if (!decision.masks().isEmpty()) {
            headers.set("Mesh-Masked-Columns", String.join(",", decision.masks().keySet()));
        }
        StreamingResponseBody body = out -> {
            try (scan) {
                int served = csv ? writeCsv(out, scan, decision, pageSize)
                        : writeJson(out, scan, decision, pageSize, offset, query);
                meters.counter("mesh.governance.rows.served", "domain", domain, "product", product,
                        "masked", String.valueOf(!decision.masks().isEmpty())).increment(served);
            } catch (RuntimeException e) {
                log.warn("Serving {}/{} to {} stopped: {}", domain, product, principal.name(), e.getMessage());
                throw e;
            }
        };
        return ResponseEntity.ok().headers(headers).body(body);
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

    private int writeJson(java.io.OutputStream out, OutputPorts.RowScan scan, ReadDecision decision, int pageSize,
                           long offset, long query) {
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("columns");
            g.writePOJO(scan.columns());
            g.writeName("masked");
            g.writePOJO(decision.masks());
            g.writeName("snapshotId");
            g.writePOJO(scan.snapshotId());
            g.writeName("rows");
            g.writeStartArray();
            int served = 0;
            while (served < pageSize && scan.hasNext()) {
                g.writePOJO(decision.masker().apply(decision.masks(), scan.next()));
                served++;
            }
            g.writeEndArray();
            g.writeName("nextCursor");
            g.writePOJO(scan.hasNext() ? new Cursor(scan.snapshotId(), offset + served, query).encode() : null);
            g.writeEndObject();
            return served;
        }
    }

    private int writeCsv(java.io.OutputStream out, OutputPorts.RowScan scan, ReadDecision decision, int pageSize)
            throws java.io.IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        writer.write(String.join(",", scan.columns().stream().map(DataController::csvText).toList()));
        writer.write("\r\n");
        int served = 0;
        while (served < pageSize && scan.hasNext()) {
            Map<String, Object> row = decision.masker().apply(decision.masks(), scan.next());
            boolean first = true;
            for (String column : scan.columns()) {
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

    private static long fingerprint(String version, List<String> columns, List<RowFilter> filters) {
        CRC32 crc = new CRC32();
        crc.update((version + "|" + columns + "|" + filters.stream().map(RowFilter::text).toList())
                .getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
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
            return switch (type.startsWith("decimal") ? "decimal" : type) {
                case "int" -> Integer.parseInt(value);
                case "long" -> Long.parseLong(value);
                case "double" -> Double.parseDouble(value);
                case "decimal" -> new BigDecimal(value);
                case "boolean" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(value);
                }
                case "date" -> {
                    java.time.LocalDate.parse(value);
                    yield value;
                }
                case "timestamp" -> {
                    java.time.OffsetDateTime.parse(value);
                    yield value;
                }
                case "string" -> value;
                default -> throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-filter",
                        "filter '" + filter.text() + "': columns of type " + type + " cannot be filtered");
            };
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "invalid-filter",
                    "filter '" + filter.text() + "': '" + value + "' is not a " + type
                            + (type.equals("timestamp") ? " (ISO-8601 with an offset)" : ""));
        }
    }
}
