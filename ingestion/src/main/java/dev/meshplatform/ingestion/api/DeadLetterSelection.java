package dev.meshplatform.ingestion.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Which dead letters of a product major to replay: exactly one of {@code all}, {@code letters} or {@code range}, at
 * most {@link DeadLetterReplays#MAX_LETTERS} letters in all. Positions are in the dead-letter topic, as
 * {@code GET …/landing/dead-letters} lists them.
 *
 * @param major   the product's major version
 * @param all     every letter the dead-letter topic holds now
 * @param letters these letters
 * @param range   the letters of one partition from {@code fromOffset} to {@code toOffset}, both included
 */
public record DeadLetterSelection(
        @NotNull @Min(0) Integer major,
        Boolean all,
        @Size(min = 1, max = DeadLetterReplays.MAX_LETTERS) List<@NotNull @Valid Position> letters,
        @Valid Range range) {

    public DeadLetterSelection {
        letters = letters == null ? null : List.copyOf(letters);
    }

    public static DeadLetterSelection allOf(int major) {
        return new DeadLetterSelection(major, true, null, null);
    }

    public static DeadLetterSelection of(int major, List<Position> letters) {
        return new DeadLetterSelection(major, null, letters, null);
    }

    public static DeadLetterSelection range(int major, int partition, long fromOffset, long toOffset) {
        return new DeadLetterSelection(major, null, null, new Range(partition, fromOffset, toOffset));
    }

    /** A dead letter's place in the dead-letter topic. */
    public record Position(@NotNull @Min(0) Integer partition, @NotNull @Min(0) Long offset) {
    }

    /** Offsets of one partition of the dead-letter topic, both ends included. */
    public record Range(@NotNull @Min(0) Integer partition, @NotNull @Min(0) Long fromOffset,
                        @NotNull @Min(0) Long toOffset) {
    }
}
