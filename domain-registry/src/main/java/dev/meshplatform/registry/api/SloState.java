package dev.meshplatform.registry.api;

/** The state of one SLO of a released product major; docs/health-and-lineage.md gives the exact rules. */
public enum SloState {
    MET,
    AT_RISK,
    BREACHED;

    /** The worse of two states; null counts as no state at all. */
    public static SloState worse(SloState a, SloState b) {
        if (a == null) {
            return b;
        }
        return b == null || a.ordinal() >= b.ordinal() ? a : b;
    }
}
