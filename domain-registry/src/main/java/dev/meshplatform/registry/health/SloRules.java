package dev.meshplatform.registry.health;

import dev.meshplatform.registry.api.SloState;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/**
 * The state rules of docs/health-and-lineage.md, in exact arithmetic so that the boundaries are where the page says:
 * freshness is AT_RISK from 80 % of its target and BREACHED past it; completeness is AT_RISK once 80 % of its error
 * budget (100 % minus the target) is used and BREACHED below the target.
 */
final class SloRules {

    static final String FRESHNESS = "freshness";
    static final String COMPLETENESS = "completeness";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal AT_RISK_SHARE = new BigDecimal("0.8");

    private SloRules() {
    }

    /** The outcome of one SLO's evaluation. */
    record Evaluation(SloState state, double observed, String unit, String reason) {
    }

    /** Freshness of data {@code age} old: MET below 80 % of the target, AT_RISK up to it, BREACHED past it. */
    static Evaluation freshness(Duration target, Duration age, boolean noDataYet) {
        SloState state;
        if (age.compareTo(target) > 0) {
            state = SloState.BREACHED;
        } else if (age.multipliedBy(5).compareTo(target.multipliedBy(4)) >= 0) {
            state = SloState.AT_RISK;
        } else {
            state = SloState.MET;
        }
        double seconds = age.toNanos() / 1e9;
        String observed = noDataYet ? "no data yet, watched for " + seconds(seconds)
                : "newest data " + seconds(seconds) + " old";
        return new Evaluation(state, seconds, "seconds", observed + "; target " + target + ", at risk from "
                + seconds(target.multipliedBy(4).dividedBy(5).toNanos() / 1e9));
    }

    /**
     * Completeness of {@code passed} out of {@code total} against a target percent: BREACHED below the target,
     * AT_RISK once at least 80 % of the error budget is used, MET otherwise; nothing counted is 100 %.
     */
    static Evaluation completeness(BigDecimal target, long passed, long total, String counted) {
        BigDecimal all = BigDecimal.valueOf(total);
        BigDecimal missed = BigDecimal.valueOf(total - passed);
        BigDecimal budget = HUNDRED.subtract(target);
        SloState state;
        // observed < target  <=>  100 * passed < target * total
        if (HUNDRED.multiply(BigDecimal.valueOf(passed)).compareTo(target.multiply(all)) < 0) {
            state = SloState.BREACHED;
        } else if (total > 0 && budget.signum() > 0
                // used budget >= 80 %  <=>  100 * missed / total >= 0.8 * budget
                && HUNDRED.multiply(missed).compareTo(AT_RISK_SHARE.multiply(budget).multiply(all)) >= 0) {
            state = SloState.AT_RISK;
        } else {
            state = SloState.MET;
        }
        double observed = total == 0 ? 100.0 : 100.0 * passed / total;
        BigDecimal atRiskFrom = HUNDRED.subtract(AT_RISK_SHARE.multiply(budget)).stripTrailingZeros();
        String what = total == 0 ? "no " + counted + " over 24 h (100 %)"
                : String.format(Locale.ROOT, "%.2f %% (%d of %d %s) over 24 h", observed, passed, total, counted);
        return new Evaluation(state, observed, "percent", what + "; target " + target.stripTrailingZeros()
                .toPlainString() + " %, at risk at or below " + atRiskFrom.toPlainString() + " %");
    }

    private static String seconds(double seconds) {
        return BigDecimal.valueOf(seconds).setScale(1, RoundingMode.HALF_UP).toPlainString() + " s";
    }
}
