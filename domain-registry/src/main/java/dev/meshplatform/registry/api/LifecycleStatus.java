package dev.meshplatform.registry.api;

import java.util.Map;
import java.util.Set;

/** Where a product version is in its life; changed by the server only, through transitions. */
public enum LifecycleStatus {
    DRAFT, PUBLISHED, DEPRECATED, RETIRED;

    private static final Map<LifecycleStatus, Set<LifecycleStatus>> NEXT = Map.of(
            DRAFT, Set.of(PUBLISHED),
            PUBLISHED, Set.of(DEPRECATED),
            DEPRECATED, Set.of(RETIRED),
            RETIRED, Set.of());

    public boolean canMoveTo(LifecycleStatus target) {
        return NEXT.get(this).contains(target);
    }

    /** Visible to readers outside the owning domain. */
    public boolean isReleased() {
        return this != DRAFT;
    }

    /** The statuses whose data is served: PUBLISHED and DEPRECATED (RETIRED answers 410). */
    public static LifecycleStatus[] served() {
        return new LifecycleStatus[]{PUBLISHED, DEPRECATED};
    }

    /** Every released status (all but DRAFT), e.g. for {@link ProductCatalog#newest}. */
    public static LifecycleStatus[] released() {
        return new LifecycleStatus[]{PUBLISHED, DEPRECATED, RETIRED};
    }
}
