package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.RegistryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ETagsTest {

    @Test
    void readsTheRevisionBackFromIfMatch() {
        assertThat(ETags.expectedRevision(ETags.of(42))).isEqualTo(42L);
        assertThat(ETags.expectedRevision("W/\"7\"")).isEqualTo(7L);
        assertThat(ETags.expectedRevision("*")).isNull();
        assertThat(ETags.expectedRevision(null)).isNull();
    }

    @Test
    void anIfMatchThatNamesNoRevisionFailsThePrecondition() {
        assertThatThrownBy(() -> ETags.expectedRevision("\"abc\""))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.PRECONDITION_FAILED));
    }
}
