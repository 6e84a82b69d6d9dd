package dev.meshplatform.registry.api;

/**
 * One guard's (or policy's) word on a transition.
 *
 * @param rule     a stable id of the rule that spoke
 * @param blocking whether a failure stops the transition; otherwise it is a warning
 * @param passed   whether the rule is satisfied
 */
public record GuardVerdict(String rule, boolean blocking, boolean passed, String message) {

    public boolean blocks() {
        return blocking && !passed;
    }
}
