package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.RuleResult;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.SloSignal;
import dev.meshplatform.registry.api.SloSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SLO signal of a derived product (no Kafka input): the newest-data time its last published run recorded, and
 * its blocking quality rules passed out of those checked over the last 24 h. Also works out, when a run starts, the
 * newest-data time of what it reads.
 */
final class RunSloSignals implements SloSignals {

    private static final Logger log = LoggerFactory.getLogger(RunSloSignals.class);
    static final Duration WINDOW = Duration.ofHours(24);

    private final RunStore store;
    private final ObjectProvider<SloSignals> signals;

    RunSloSignals(RunStore store, ObjectProvider<SloSignals> signals) {
        this.store = store;
        this.signals = signals;
    }

    @Override
    public Optional<SloSignal> signal(ProductMajor major, ProductVersionView version, Instant now) {
        if (version.descriptor().kafkaInput().isPresent()) {
            return Optional.empty();
        }
        Instant dataAt = store.publishedDataAt(major.domain(), major.product(), major.major()).orElse(null);
        List<RuleResult> blocking = store.rulesSince(major.domain(), major.product(), major.major(),
                now.minus(WINDOW)).stream().filter(RuleResult::blocking).toList();
        long passed = blocking.stream().filter(RuleResult::passed).count();
        return Optional.of(new SloSignal(dataAt, passed, blocking.size(), "blocking quality rule checks"));
    }

    /**
     * The newest-data time of what a run of {@code version} reads, as it starts: the oldest of its raw table's newest
     * committed event (the signal of the module that lands it) and of each input product's last published run's
     * data time (what that input's output port holds). Null when none is known.
     */
    Instant dataAtStart(ProductVersionView version, Instant now) {
        Instant oldest = null;
        ProductMajor self = ProductMajor.of(version);
        if (version.descriptor().kafkaInput().isPresent()) {
            oldest = signals.orderedStream().filter(s -> s != this).map(s -> s.signal(self, version, now))
                    .flatMap(Optional::stream).map(SloSignal::newestDataAt).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
        }
        for (InputPort input : version.descriptor().productInputs()) {
            Optional<Instant> inputAt = store.publishedDataAt(input.domain(), input.product(), input.majorVersion());
            if (inputAt.isPresent() && (oldest == null || inputAt.get().isBefore(oldest))) {
                oldest = inputAt.get();
            }
        }
        return oldest;
    }

    /** Records {@link #dataAtStart} for a run; a failure costs the SLO only, never the run. */
    void recordStart(String runId, ProductVersionView version, Instant now) {
        try {
            store.dataAt(runId, dataAtStart(version, now));
        } catch (RuntimeException e) {
            log.warn("Run {} of {} could not record the newest-data time of its inputs: {}", runId,
                    ProductMajor.of(version), e.toString());
        }
    }
}
