package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.DeadLetterSelection;
import dev.meshplatform.ingestion.api.IngestionException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A replay's selection is checked at the module's boundary, whoever calls it. */
class DeadLetterReplayerTest {

    @Test
    void aSelectionNamesExactlyOneWayWithinBounds() {
        assertThatCode(() -> DeadLetterReplayer.validate(DeadLetterSelection.allOf(1))).doesNotThrowAnyException();
        assertThatCode(() -> DeadLetterReplayer.validate(DeadLetterSelection.range(1, 0, 5, 1_004)))
                .doesNotThrowAnyException();
        assertThatCode(() -> DeadLetterReplayer.validate(DeadLetterSelection.of(0,
                List.of(new DeadLetterSelection.Position(2, 0L))))).doesNotThrowAnyException();

        List<DeadLetterSelection.Position> tooMany = new ArrayList<>();
        for (long offset = 0; offset <= 1_000; offset++) {
            tooMany.add(new DeadLetterSelection.Position(0, offset));
        }
        for (DeadLetterSelection bad : List.of(
                new DeadLetterSelection(1, null, null, null),
                new DeadLetterSelection(1, false, null, null),
                new DeadLetterSelection(null, true, null, null),
                new DeadLetterSelection(-1, true, null, null),
                new DeadLetterSelection(1, true, List.of(new DeadLetterSelection.Position(0, 1L)), null),
                DeadLetterSelection.of(1, List.of()),
                DeadLetterSelection.of(1, tooMany),
                DeadLetterSelection.of(1, List.of(new DeadLetterSelection.Position(0, -1L))),
                DeadLetterSelection.of(1, List.of(new DeadLetterSelection.Position(null, 1L))),
                DeadLetterSelection.range(1, 0, 5, 4),
                DeadLetterSelection.range(1, -1, 0, 4),
                DeadLetterSelection.range(1, 0, 5, 1_005))) {
            assertThatThrownBy(() -> DeadLetterReplayer.validate(bad)).as(String.valueOf(bad))
                    .isInstanceOfSatisfying(IngestionException.class, e -> {
                        org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("invalid-selection");
                        org.assertj.core.api.Assertions.assertThat(e.reason())
                                .isEqualTo(IngestionException.Reason.INVALID);
                    });
        }
    }
}
