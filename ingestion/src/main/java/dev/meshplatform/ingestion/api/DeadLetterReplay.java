package dev.meshplatform.ingestion.api;

import java.time.Instant;
import java.util.List;

/**
 * What a replay of dead letters did, letter by letter.
 *
 * @param topic    the product's topic the letters were produced to
 * @param version  the version whose contract the letters were checked against: the major's newest released one
 * @param selected the letters selected (found in the dead-letter topic, or named and not found)
 * @param replayed the letters produced by this replay and acknowledged by Kafka
 * @param letters  every selected letter, in the dead-letter topic's order (partition, offset)
 */
public record DeadLetterReplay(String topic, String version, int selected, int replayed, List<Letter> letters) {

    public DeadLetterReplay {
        letters = List.copyOf(letters);
    }

    /** What became of a selected letter. */
    public enum Outcome {
        /** Passed the current contract, produced now and acknowledged by every in-sync replica. */
        REPLAYED,
        /** Replayed before (this letter, or another dead letter of the same event): not produced again. */
        ALREADY_REPLAYED,
        /** Refused by the current contract too: stays where it is; {@code reason} says why. */
        STILL_INVALID,
        /**
         * A replay of it began and its outcome is not known (it is under way now, or Kafka did not answer, or the
         * platform stopped before recording the answer): it is never produced again, so that it cannot land twice.
         */
        IN_DOUBT,
        /** Kafka refused it, so it was not produced: it may be replayed again. */
        FAILED,
        /** Not replayable: no such letter in the dead-letter topic, or one without a source position. */
        NOT_FOUND
    }

    /**
     * One selected letter.
     *
     * @param partition       its partition in the dead-letter topic
     * @param offset          its offset there
     * @param sourcePartition where the event was in the product's topic when it was refused
     * @param sourceOffset    its offset there
     * @param outcome         what became of it
     * @param reason          why it was not replayed, in words; null when it was
     * @param replayedAt      when it was replayed (or, IN_DOUBT, when the replay began)
     * @param replayedBy      who replayed it
     * @param topicPartition  where the replayed event is in the product's topic
     * @param topicOffset     its offset there
     */
    public record Letter(int partition, long offset, Integer sourcePartition, Long sourceOffset, Outcome outcome,
                         String reason, Instant replayedAt, String replayedBy, Integer topicPartition,
                         Long topicOffset) {
    }
}
