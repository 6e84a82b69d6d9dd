package dev.meshplatform.registry.health;

import dev.meshplatform.registry.api.BackgroundLoop;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductDescriptor;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryProperties;
import dev.meshplatform.registry.api.SloSignal;
import dev.meshplatform.registry.api.SloSignals;
import dev.meshplatform.registry.api.SloState;
import dev.meshplatform.registry.api.SloStateChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates the SLOs of every served product major every {@code mesh.registry.health.evaluation-interval}: asks the
 * modules for their {@link SloSignal}, applies {@link SloRules}, stores the state and, on a change only, a transition
 * and a {@link SloStateChanged} event in one transaction. Every instance may run it: a state changes only from the
 * state it was read in, so a change is recorded once.
 */
class SloEvaluator extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(SloEvaluator.class);

    private final ProductCatalog products;
    private final ObjectProvider<SloSignals> signals;
    private final SloStateStore store;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final SloMetrics metrics;
    private final RegistryProperties properties;
    private final Clock clock;

    SloEvaluator(ProductCatalog products, ObjectProvider<SloSignals> signals, SloStateStore store,
                 TransactionTemplate transactions, ApplicationEventPublisher events, SloMetrics metrics,
                 RegistryProperties properties, TaskScheduler scheduler, Clock clock) {
        super(scheduler, "SLO evaluation pass");
        this.products = products;
        this.signals = signals;
        this.store = store;
        this.transactions = transactions;
        this.events = events;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected Duration period() {
        return properties.health().evaluationInterval();
    }

    @Override
    protected void pass() {
        evaluateAll(clock.instant());
    }

    /**
     * One evaluation of every served major's SLOs at {@code now}: the stored states read once, a change stored in a
     * transaction of its own with its transition and event, and every unchanged state's new observation in one batch.
     */
    void evaluateAll(Instant now) {
        Map<String, SloStateStore.Row> stored = new HashMap<>();
        store.all().forEach(row -> stored.put(key(row.major(), row.slo()), row));
        Map<String, SloStateStore.Row> evaluated = new LinkedHashMap<>();
        List<SloStateStore.Row> unchanged = new ArrayList<>();
        for (ProductVersionView newest : products.servedNewest()) {
            ProductMajor major = ProductMajor.of(newest);
            try {
                evaluate(major, newest, now, stored, evaluated, unchanged);
            } catch (RuntimeException e) {
                // One product's failure (a module's signal) does not hold up the others'.
                log.warn("SLO evaluation of {} failed; it is evaluated again next pass: {}", major, e.toString());
                // Its states stay as they were.
                stored.values().stream().filter(r -> r.major().equals(major))
                        .forEach(r -> evaluated.putIfAbsent(key(major, r.slo()), r));
            }
        }
        if (!unchanged.isEmpty()) {
            transactions.executeWithoutResult(tx -> store.updateUnchanged(unchanged));
        }
        for (SloStateStore.Row row : stored.values()) {
            if (!evaluated.containsKey(key(row.major(), row.slo()))) {
                // Retired, or the newest version declares the SLO no more.
                store.delete(row.major(), row.slo());
            }
        }
        List<SloStateStore.Row> rows = List.copyOf(evaluated.values());
        updateCatalog(rows);
        metrics.show(rows);
    }

    private void evaluate(ProductMajor major, ProductVersionView version, Instant now,
                          Map<String, SloStateStore.Row> stored, Map<String, SloStateStore.Row> evaluated,
                          List<SloStateStore.Row> unchanged) {
        if (version.descriptor().slos() == null) {
            return;
        }
        ProductDescriptor.Slos slos = version.descriptor().slos();
        Optional<SloSignal> signal = signals.orderedStream().map(s -> s.signal(major, version, now))
                .flatMap(Optional::stream).findFirst();
        if (signal.isEmpty()) {
            return;
        }
        Duration freshness = duration(slos.freshness());
        if (freshness != null) {
            Optional<SloStateStore.Row> current = Optional.ofNullable(stored.get(key(major, SloRules.FRESHNESS)));
            Instant watchedSince = current.map(SloStateStore.Row::watchedSince).orElse(now);
            Instant newestData = signal.get().newestDataAt();
            Duration age = Duration.between(newestData == null ? watchedSince : newestData, now);
            SloStateStore.Row row = record(major, version, SloRules.FRESHNESS, slos.freshness(), current,
                    watchedSince, now,
                    SloRules.freshness(freshness, age.isNegative() ? Duration.ZERO : age, newestData == null),
                    unchanged);
            evaluated.put(key(major, SloRules.FRESHNESS), row);
        }
        if (slos.completeness() != null) {
            Optional<SloStateStore.Row> current = Optional.ofNullable(stored.get(key(major, SloRules.COMPLETENESS)));
            SloStateStore.Row row = record(major, version, SloRules.COMPLETENESS,
                    slos.completeness().stripTrailingZeros().toPlainString(), current,
                    current.map(SloStateStore.Row::watchedSince).orElse(now), now,
                    SloRules.completeness(slos.completeness(), signal.get().passed(), signal.get().total(),
                            signal.get().counted()), unchanged);
            evaluated.put(key(major, SloRules.COMPLETENESS), row);
        }
    }

    /** The evaluated state: stored now when it changed, else added to {@code unchanged} for the pass's batch. */
    private SloStateStore.Row record(ProductMajor major, ProductVersionView version, String slo, String target,
                                     Optional<SloStateStore.Row> current, Instant watchedSince, Instant now,
                                     SloRules.Evaluation evaluation, List<SloStateStore.Row> unchanged) {
        SloState from = current.map(SloStateStore.Row::state).orElse(null);
        boolean changed = from != evaluation.state();
        SloStateStore.Row row = new SloStateStore.Row(major, slo, version.version(), target, evaluation.observed(),
                evaluation.state(), evaluation.reason(), changed ? now : current.get().since(), now, watchedSince);
        if (!changed) {
            unchanged.add(row);
            return row;
        }
        transactions.executeWithoutResult(tx -> {
            boolean stored = current.isEmpty() ? store.insert(row) : store.update(row, from);
            if (!stored) {
                // Another instance evaluated it meanwhile and recorded whatever changed.
                return;
            }
            store.appendTransition(major, slo, version.version(), from, evaluation.state(), evaluation.reason(), now);
            events.publishEvent(new SloStateChanged(major.domain(), major.product(), major.major(),
                    version.version(), slo, from == null ? null : from.name(), evaluation.state().name(),
                    evaluation.reason(), now));
            log.info("SLO {} of {} is {} ({}): {}", slo, major, evaluation.state(),
                    from == null ? "first evaluation" : "was " + from, evaluation.reason());
        });
        return row;
    }

    /** The worst state of each product into the catalog, for its health filter and sort; only what changed. */
    private void updateCatalog(List<SloStateStore.Row> rows) {
        Map<String, SloState> worst = new HashMap<>();
        for (SloStateStore.Row row : rows) {
            worst.merge(row.major().domain() + "/" + row.major().product(), row.state(), SloState::worse);
        }
        Map<String, String> shown = store.catalogHealth();
        Set<String> products = new HashSet<>(shown.keySet());
        products.addAll(worst.keySet());
        for (String product : products) {
            SloState state = worst.get(product);
            String name = state == null ? null : state.name();
            if (!java.util.Objects.equals(name, shown.get(product))) {
                int slash = product.indexOf('/');
                store.setCatalogHealth(product.substring(0, slash), product.substring(slash + 1), state);
            }
        }
    }

    /**
     * A declared freshness as a duration: an ISO-8601 duration, or a period (P1W, P1M) with a month as 30 days and a
     * year as 365; null when there is none, it is not positive, or it is neither.
     */
    static Duration duration(String declared) {
        if (declared == null || declared.isBlank()) {
            return null;
        }
        Duration target;
        try {
            target = Duration.parse(declared);
        } catch (DateTimeParseException notADuration) {
            try {
                java.time.Period period = java.time.Period.parse(declared);
                target = Duration.ofDays(period.getYears() * 365L + period.getMonths() * 30L
                        + period.getDays());
            } catch (DateTimeParseException notAPeriod) {
                return null;
            }
        }
        return target.isNegative() || target.isZero() ? null : target;
    }

    private static String key(ProductMajor major, String slo) {
        return major.key() + "#" + slo;
    }
}
