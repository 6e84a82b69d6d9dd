package dev.meshplatform.registry.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SemanticVersionTest {

    @Test
    void ordersBySemverPrecedence() {
        List<String> sorted = Stream.of("1.0.0", "1.0.0-alpha.1", "0.9.12", "1.0.0-alpha", "1.0.0-beta", "1.10.0",
                        "1.2.0", "1.0.0-alpha.beta", "1.0.0-rc.1", "1.0.0-beta.11", "1.0.0-beta.2")
                .map(SemanticVersion::parse).sorted().map(SemanticVersion::text).toList();
        assertThat(sorted).containsExactly("0.9.12", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0");
    }

    @Test
    void readsParts() {
        SemanticVersion v = SemanticVersion.parse("2.3.4-rc.1+build.5");
        assertThat(v.major()).isEqualTo(2);
        assertThat(v.minor()).isEqualTo(3);
        assertThat(v.patch()).isEqualTo(4);
        assertThat(v.preRelease()).isEqualTo("rc.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.0", "01.0.0", "1.0.0.0", "v1.0.0", "1.0.0-", "1.0.0-01", "", " 1.0.0"})
    void refusesWhatIsNotSemver(String text) {
        assertThat(SemanticVersion.isValid(text)).isFalse();
        assertThatThrownBy(() -> SemanticVersion.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
