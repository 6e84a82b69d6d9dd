package dev.meshplatform.registry.api;

import java.util.List;

/**
 * Asked before every lifecycle transition and on dry runs. Governance implements it, so that the registry decides
 * nothing about policies and never depends on governance. A verdict that {@link GuardVerdict#blocks() blocks}
 * stops the transition.
 */
public interface TransitionGuard {

    List<GuardVerdict> check(TransitionCheck check);

    /** What the transition (a dry run's) would affect downstream; the guard that knows grants says. */
    default Impact impact(TransitionCheck check) {
        return Impact.NONE;
    }
}
