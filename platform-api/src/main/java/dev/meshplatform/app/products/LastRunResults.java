package dev.meshplatform.app.products;

import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.processing.api.RunState;
import dev.meshplatform.processing.api.RunView;
import dev.meshplatform.processing.api.Runs;
import dev.meshplatform.registry.api.OdcsContracts;
import dev.meshplatform.registry.api.PageResult;
import dev.meshplatform.registry.api.ProductDescriptor;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a major's last finished run measured, for its contract's export: ODCS has no place for results, so they go in
 * the custom property {@value OdcsContracts#LAST_RUN}, which imports ignore.
 */
@Component
class LastRunResults {

    /** How far back the run history is searched for the major's last runs. */
    private static final int PAGES = 5;
    private static final int PAGE_SIZE = 100;

    private final Runs runs;

    LastRunResults(Runs runs) {
        this.runs = runs;
    }

    /** Adds the results of the last finished run of {@code major}, if it has one, to the contract's custom properties. */
    void addTo(ObjectNode contract, String domain, String product, int major, ProductDescriptor descriptor) {
        Optional<RunView> last = newest(domain, product, run -> run.major() == major && run.finishedAt() != null
                && run.state() != RunState.CANCELLED);
        if (last.isEmpty()) {
            return;
        }
        RunView run = last.get();
        ObjectNode value = contract.objectNode();
        value.put("runId", run.id());
        value.put("version", run.version());
        value.put("state", run.state().name());
        value.put("finishedAt", run.finishedAt().toString());
        if (run.rowsWritten() != null) {
            value.put("rowsWritten", run.rowsWritten());
        }
        if (run.snapshotId() != null) {
            value.put("snapshotId", run.snapshotId());
        }
        ArrayNode quality = value.putArray("quality");
        for (RuleResult rule : run.rules() == null ? List.<RuleResult>of() : run.rules()) {
            quality.addObject().put("rule", rule.rule()).put("type", rule.type()).put("blocking", rule.blocking())
                    .put("passed", rule.passed()).put("observed", rule.observed()).put("message", rule.message());
        }
        String freshness = descriptor.slos() == null ? null : descriptor.slos().freshness();
        if (freshness != null) {
            ObjectNode latency = value.putArray("sla").addObject().put("property", "latency").put("value", freshness);
            Optional<RunView> succeeded = run.state() == RunState.SUCCEEDED ? last
                    : newest(domain, product, r -> r.major() == major && r.state() == RunState.SUCCEEDED);
            if (succeeded.isPresent()) {
                Duration age = Duration.between(succeeded.get().finishedAt(), Instant.now());
                latency.put("lastSucceededAt", succeeded.get().finishedAt().toString());
                latency.put("observed", age.withNanos(0).toString());
                Boolean met = met(succeeded.get().finishedAt(), freshness);
                if (met != null) {
                    latency.put("met", met);
                }
            } else {
                latency.put("met", false);
            }
        }
        ArrayNode custom = contract.get("customProperties") instanceof ArrayNode given ? given
                : contract.putArray("customProperties");
        custom.addObject().put("property", OdcsContracts.LAST_RUN).set("value", value);
    }

    /** Whether data finished at {@code finishedAt} is still within {@code freshness}; null when it is no duration. */
    private static Boolean met(Instant finishedAt, String freshness) {
        Instant now = Instant.now();
        try {
            return Duration.between(finishedAt, now).compareTo(Duration.parse(freshness)) <= 0;
        } catch (DateTimeParseException e) {
            try {
                return !finishedAt.atZone(ZoneOffset.UTC).plus(Period.parse(freshness)).toInstant().isBefore(now);
            } catch (DateTimeParseException notAPeriod) {
                return null;
            }
        }
    }

    private Optional<RunView> newest(String domain, String product, Predicate<RunView> wanted) {
        for (int page = 0; page < PAGES; page++) {
            PageResult<RunView> history = runs.history(domain, product, page, PAGE_SIZE);
            Optional<RunView> found = history.items().stream().filter(wanted).findFirst();
            if (found.isPresent() || history.items().size() < PAGE_SIZE) {
                return found;
            }
        }
        return Optional.empty();
    }
}
