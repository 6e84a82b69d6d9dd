package dev.meshplatform.ingestion.landing;

import org.apache.iceberg.Table;

import java.time.Duration;

/**
 * Which snapshots of a raw table go: those older than the maximum age, beyond the newest {@code keep}; and, whatever
 * their age, all but the newest {@code max}. Each snapshot is an entry of every later metadata file, so under one
 * commit a second the count bound is what keeps a metadata file small; the old metadata files themselves go at every
 * commit (the raw tables keep the last 20).
 */
final class SnapshotRetention {

    private SnapshotRetention() {
    }

    /** True when expiry should not wait for the next maintenance round: twice the bound is reached. */
    static boolean due(Table table, int max) {
        return count(table) >= 2 * Math.max(1, max);
    }

    static int count(Table table) {
        int count = 0;
        for (var ignored : table.snapshots()) {
            count++;
        }
        return count;
    }

    static void expire(Table table, long nowMillis, Duration maxAge, int keep, int max) {
        int count = count(table);
        int bound = Math.max(1, max);
        boolean tooMany = count > bound;
        table.expireSnapshots()
                .expireOlderThan(tooMany ? nowMillis + 1 : nowMillis - maxAge.toMillis())
                .retainLast(tooMany ? bound : Math.max(1, Math.min(keep, bound)))
                .commit();
    }
}
