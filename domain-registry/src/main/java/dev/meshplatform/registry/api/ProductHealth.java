package dev.meshplatform.registry.api;

import java.time.Instant;
import java.util.List;

/**
 * A product's health: the state of every SLO of each served major, and their transitions.
 *
 * @param state the worst state over every SLO of every served major; null when nothing was evaluated yet
 * @param majors each served major whose newest served version declares SLOs, newest major first
 */
public record ProductHealth(String domain, String product, SloState state, List<MajorHealth> majors) {

    public ProductHealth {
        majors = List.copyOf(majors);
    }

    /**
     * @param version     the newest served version of the major, whose {@code slos} are the targets
     * @param state       the worst state over the major's SLOs; null when none was evaluated yet
     * @param transitions newest first, limited
     */
    public record MajorHealth(int major, String version, SloState state, List<SloStatus> slos,
                              List<SloTransition> transitions) {

        public MajorHealth {
            slos = List.copyOf(slos);
            transitions = List.copyOf(transitions);
        }
    }

    /**
     * One SLO's current state.
     *
     * @param slo         {@code freshness} or {@code completeness}
     * @param target      as declared: an ISO-8601 duration, or a percent
     * @param observed    the age of the newest data in seconds, or the observed percent
     * @param since       when the SLO entered its state
     * @param evaluatedAt the last evaluation
     */
    public record SloStatus(String slo, String target, Double observed, String unit, SloState state, Instant since,
                            Instant evaluatedAt, String reason) {
    }

    /** @param from null for the first evaluation */
    public record SloTransition(String slo, String version, SloState from, SloState to, Instant at, String reason) {
    }
}
