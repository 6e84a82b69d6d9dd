package dev.meshplatform.processing.api;

import java.util.Set;

/**
 * Where a run is: QUEUED → RUNNING → SUCCEEDED, FAILED or CANCELLED; a queued run may also end FAILED or CANCELLED
 * without running. Each move is one conditional update of the run's record (from the states {@link #from()} lists),
 * so two instances or a cancel and a publication never both win.
 */
public enum RunState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** The states a run may move into this one from. */
    public Set<RunState> from() {
        return switch (this) {
            case QUEUED -> Set.of();
            case RUNNING -> Set.of(QUEUED);
            case SUCCEEDED -> Set.of(RUNNING);
            case FAILED, CANCELLED -> Set.of(QUEUED, RUNNING);
        };
    }

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
