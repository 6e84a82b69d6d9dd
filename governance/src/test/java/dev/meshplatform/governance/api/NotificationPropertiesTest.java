package dev.meshplatform.governance.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationPropertiesTest {

    private static NotificationProperties with(Duration backoff, Duration max) {
        return new NotificationProperties(List.of(), "urn:meshplatform", Duration.ofSeconds(1), 4,
                Duration.ofSeconds(5), Duration.ofSeconds(10), 8, backoff, max, Duration.ofDays(7),
                Duration.ofHours(1), Duration.ofDays(30));
    }

    @Test
    void theBackoffDoublesAfterEachFailedAttemptUpToItsLimit() {
        NotificationProperties properties = with(Duration.ofSeconds(10), Duration.ofMinutes(5));
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 100).stream().map(properties::backoffAfter).toList())
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                        Duration.ofSeconds(80), Duration.ofSeconds(160), Duration.ofMinutes(5), Duration.ofMinutes(5),
                        Duration.ofMinutes(5));
    }

    @Test
    void theDefaultsSpreadEightAttemptsOverAboutTwentyMinutes() {
        NotificationProperties properties = with(Duration.ofSeconds(10), Duration.ofHours(1));
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < 8; attempt++) {
            total = total.plus(properties.backoffAfter(attempt));
        }
        assertThat(total).isEqualTo(Duration.ofSeconds(1270));
    }

    @Test
    void noConcurrencyIsRefused() {
        assertThatThrownBy(() -> new NotificationProperties(List.of(), "s", Duration.ofSeconds(1), 0,
                Duration.ofSeconds(5), Duration.ofSeconds(10), 8, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
