package dev.meshplatform.registry.health;

import dev.meshplatform.registry.api.SloState;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SloRulesTest {

    private static SloState freshness(String target, Duration age) {
        return SloRules.freshness(Duration.parse(target), age, false).state();
    }

    private static SloState completeness(String target, long passed, long total) {
        return SloRules.completeness(new BigDecimal(target), passed, total, "events").state();
    }

    @Test
    void freshnessIsAtRiskFromEightyPercentOfItsTargetAndBreachedPastIt() {
        assertThat(freshness("PT10S", Duration.ofMillis(7999))).isEqualTo(SloState.MET);
        assertThat(freshness("PT10S", Duration.ofSeconds(8))).isEqualTo(SloState.AT_RISK);
        assertThat(freshness("PT10S", Duration.ofSeconds(10))).isEqualTo(SloState.AT_RISK);
        assertThat(freshness("PT10S", Duration.ofSeconds(10).plusNanos(1))).isEqualTo(SloState.BREACHED);
        assertThat(freshness("PT1H", Duration.ZERO)).isEqualTo(SloState.MET);
    }

    @Test
    void freshnessSaysHowOldTheDataIsAgainstTheTarget() {
        SloRules.Evaluation evaluation = SloRules.freshness(Duration.ofSeconds(6), Duration.ofMillis(7100), false);
        assertThat(evaluation.observed()).isEqualTo(7.1);
        assertThat(evaluation.reason()).isEqualTo("newest data 7.1 s old; target PT6S, at risk from 4.8 s");
        assertThat(SloRules.freshness(Duration.ofSeconds(6), Duration.ofSeconds(2), true).reason())
                .startsWith("no data yet, watched for 2.0 s");
    }

    @Test
    void completenessIsAtRiskOnceEightyPercentOfItsErrorBudgetIsUsedAndBreachedBelowTheTarget() {
        // Target 99 %: the budget is 1 %, at risk at or below 99.2 %.
        assertThat(completeness("99", 993, 1000)).isEqualTo(SloState.MET);
        assertThat(completeness("99", 992, 1000)).isEqualTo(SloState.AT_RISK);
        assertThat(completeness("99", 990, 1000)).isEqualTo(SloState.AT_RISK);
        assertThat(completeness("99", 989, 1000)).isEqualTo(SloState.BREACHED);
        assertThat(completeness("99.5", 9960, 10000)).isEqualTo(SloState.AT_RISK);
        assertThat(completeness("99.5", 9961, 10000)).isEqualTo(SloState.MET);
    }

    @Test
    void aFullTargetHasNoBudgetAndNothingCountedIsComplete() {
        assertThat(completeness("100", 5, 5)).isEqualTo(SloState.MET);
        assertThat(completeness("100", 4, 5)).isEqualTo(SloState.BREACHED);
        assertThat(completeness("99", 0, 0)).isEqualTo(SloState.MET);
        assertThat(completeness("0", 0, 10)).isEqualTo(SloState.AT_RISK);
        assertThat(completeness("0", 3, 10)).isEqualTo(SloState.MET);
    }

    @Test
    void completenessSaysWhatWasCountedAgainstTheTarget() {
        assertThat(SloRules.completeness(new BigDecimal("99.0"), 3, 4, "events").reason())
                .isEqualTo("75.00 % (3 of 4 events) over 24 h; target 99 %, at risk at or below 99.2 %");
    }

    @Test
    void aFreshnessTargetIsAPositiveIsoDurationOrPeriod() {
        assertThat(SloEvaluator.duration("PT6S")).isEqualTo(Duration.ofSeconds(6));
        assertThat(SloEvaluator.duration("P1D")).isEqualTo(Duration.ofDays(1));
        assertThat(SloEvaluator.duration("P1W")).isEqualTo(Duration.ofDays(7));
        assertThat(SloEvaluator.duration("P1Y2M3D")).isEqualTo(Duration.ofDays(365 + 60 + 3));
        assertThat(SloEvaluator.duration("an hour")).isNull();
        assertThat(SloEvaluator.duration("PT0S")).isNull();
        assertThat(SloEvaluator.duration(null)).isNull();
    }
}
