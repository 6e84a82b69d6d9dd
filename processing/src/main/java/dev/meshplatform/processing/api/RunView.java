package dev.meshplatform.processing.api;

import java.time.Instant;
import java.util.List;

/**
 * One run of a product's transformation, as recorded (it survives restarts).
 *
 * @param state    QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param phase    what a running run does now: reading, writing, auditing, publishing
 * @param progress 0 to 1
 * @param published whether the run's snapshot became the output port's main (every blocking rule passed)
 */
public record RunView(String id, String domain, String product, int major, String version, String trigger,
                      String requestedBy, RunState state, String phase, double progress, Instant createdAt,
                      Instant startedAt, Instant finishedAt, Long durationMillis, Long rowsRead, Long bytesRead, Long rowsWritten,
                      Long bytesWritten, Long snapshotId, Boolean published, List<RuleResult> rules, String error) {

    public boolean isFinished() {
        return state.isFinished();
    }
}
