package dev.meshplatform.processing.api;

import java.util.List;

/**
 * What one run of a product's transformation did (write–audit–publish).
 *
 * @param published  whether main was fast-forwarded to the run's staged snapshot (every blocking rule passed)
 * @param snapshotId the staged snapshot the run produced; main's new snapshot when published
 * @param rowsRead   rows of the raw view and the input views the query read
 * @param bytesRead  bytes of their data files
 */
public record TransformationOutcome(boolean published, Long snapshotId, long rowsRead, long bytesRead, long rowsWritten,
                                    long bytesWritten, List<RuleResult> rules, String outputTable) {
}
