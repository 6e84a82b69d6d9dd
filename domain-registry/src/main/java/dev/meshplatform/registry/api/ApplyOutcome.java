package dev.meshplatform.registry.api;

import java.util.List;

/**
 * The answer to applying a descriptor: what happened (or, on a dry run, what would happen), the changes against
 * the stored descriptor, and the publish verdicts of the transition guards.
 *
 * @param impact on a dry run: what the version's breaking changes would affect downstream
 */
public record ApplyOutcome(Result result, boolean dryRun, ProductVersionView version, List<DescriptorChange> changes,
                           List<GuardVerdict> verdicts, Impact impact) {

    public enum Result {
        CREATED, UPDATED, UNCHANGED
    }
}
