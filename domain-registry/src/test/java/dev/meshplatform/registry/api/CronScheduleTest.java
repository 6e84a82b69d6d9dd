package dev.meshplatform.registry.api;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronScheduleTest {

    @Test
    void addsTheSecondsFieldSpringWants() {
        assertThat(CronSchedule.toSpring("*/15 2 * * 1-5")).isEqualTo("0 */15 2 * * 1-5");
    }

    @Test
    void aFiveFieldScheduleFiresWhereUnixCronWould() {
        // "30 4 * * *" is 04:30 every day in Unix cron; read as Spring's 6 fields it would mean second 30 of minute 4.
        LocalDateTime next = CronSchedule.parse("30 4 * * *").next(LocalDateTime.of(2026, 1, 1, 0, 0));
        assertThat(next).isEqualTo(LocalDateTime.of(2026, 1, 1, 4, 30, 0));
    }

    @Test
    void refusesSixFieldsAndNonsense() {
        assertThatThrownBy(() -> CronSchedule.parse("0 30 4 * * *")).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronSchedule.parse("")).hasMessageContaining("5 fields");
    }
}
