package dev.meshplatform.registry;

import dev.meshplatform.registry.api.GuardVerdict;
import dev.meshplatform.registry.api.TransitionGuard;
import dev.meshplatform.registry.api.VersionTransitioned;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registry alone in a Spring context, with a guard and an event recorder to observe it. */
@SpringBootConfiguration
@EnableAutoConfiguration
class RegistryTestApplication {

    /** Blocks publishing any descriptor whose title says so; warns when there is no previous version. */
    @Bean
    TransitionGuard testGuard() {
        return check -> List.of(
                new GuardVerdict("no-blocked-title", true, !check.descriptor().title().contains("blocked"),
                        "the title says blocked"),
                new GuardVerdict("has-previous", false, check.previousPublished() != null,
                        "no previous published version"));
    }

    @Bean
    TransitionRecorder transitionRecorder() {
        return new TransitionRecorder();
    }

    static class TransitionRecorder {
        final List<VersionTransitioned> events = new CopyOnWriteArrayList<>();
        final List<dev.meshplatform.registry.api.SloStateChanged> sloChanges = new CopyOnWriteArrayList<>();

        @EventListener
        void on(VersionTransitioned event) {
            events.add(event);
        }

        @EventListener
        void on(dev.meshplatform.registry.api.SloStateChanged event) {
            sloChanges.add(event);
        }
    }

    /** The signals a test sets per product major; none for the others. */
    @Bean
    TestSloSignals testSloSignals() {
        return new TestSloSignals();
    }

    static class TestSloSignals implements dev.meshplatform.registry.api.SloSignals {
        final java.util.Map<dev.meshplatform.registry.api.ProductMajor, dev.meshplatform.registry.api.SloSignal>
                signals = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public java.util.Optional<dev.meshplatform.registry.api.SloSignal> signal(
                dev.meshplatform.registry.api.ProductMajor major, dev.meshplatform.registry.api.ProductVersionView v,
                java.time.Instant now) {
            return java.util.Optional.ofNullable(signals.get(major));
        }
    }
}
