package dev.meshplatform.registry.api;

import java.time.Instant;

/**
 * An SLO of a released product major changed state (MET, AT_RISK, BREACHED); published in the transaction that
 * records the transition, so that listeners (notifications) write in the same transaction.
 *
 * @param slo    {@code freshness} or {@code completeness}
 * @param from   the state before; null for the first evaluation
 * @param reason why, in words an operator reads (observed value against the target)
 */
public record SloStateChanged(String domain, String product, int major, String version, String slo, String from,
                              String to, String reason, Instant at) {
}
