package dev.meshplatform.ingestion.landing;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The common-form reader against {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} over a seeded corpus of timestamps,
 * out-of-range ones and mutations of both: whatever it reads, the formatter reads as the same value, and it reads
 * every value of the common form the formatter accepts.
 */
class IsoTimestampsTest {

    private static final String PUNCTUATION = "0123456789-:T.Zz+ t\u0661";

    @Test
    void readsWhatTheFormatterReadsAndNothingElse() {
        Random random = new Random(20261130);
        int commonForm = 0;
        int mutated = 0;
        for (int i = 0; i < 20_000; i++) {
            String timestamp = timestamp(random);
            OffsetDateTime expected = formatter(timestamp);
            OffsetDateTime read = parse(timestamp, random);
            assertThat(read).as(timestamp).isEqualTo(expected);
            if (expected != null) {
                commonForm++;
            }
            String mutation = mutate(timestamp, random);
            OffsetDateTime mutationRead = parse(mutation, random);
            if (mutationRead != null) {
                assertThat(mutationRead).as(mutation).isEqualTo(formatter(mutation));
                mutated++;
            }
        }
        // The corpus exercises both sides: most generated values are valid, some mutations still are.
        assertThat(commonForm).isGreaterThan(10_000);
        assertThat(mutated).isGreaterThan(100);
    }

    @Test
    void leavesOtherFormsToTheFormatter() {
        for (String other : List.of("2026-01-31T12:00Z", "2026-01-31T12:00:00", "2026-01-31t12:00:00Z",
                "2026-01-31T12:00:00z", "2026-01-31T12:00:00+01", "2026-01-31T12:00:00+0100",
                "2026-01-31T12:00:00+01:00:00", "+12026-01-31T12:00:00Z", "2026-01-31T12:00:00.Z",
                "2026-01-31T12:00:00.1234567890Z", "2026-01-31 12:00:00Z", "")) {
            assertThat(IsoTimestamps.parse(other.toCharArray(), 0, other.length())).as(other).isNull();
        }
        for (String outOfRange : List.of("2026-02-29T12:00:00Z", "2026-13-01T12:00:00Z", "2026-01-31T24:00:00Z",
                "2026-01-31T23:60:00Z", "2026-01-31T23:59:60Z", "2026-01-31T12:00:00+18:01",
                "2026-01-31T12:00:00+05:60", "2026-00-10T12:00:00Z")) {
            assertThat(IsoTimestamps.parse(outOfRange.toCharArray(), 0, outOfRange.length())).as(outOfRange).isNull();
            assertThat(formatter(outOfRange)).as(outOfRange).isNull();
        }
    }

    @Test
    void readsAValueInsideALargerBuffer() {
        char[] buffer = "{\"at\":\"2024-02-29T23:59:59.000001-00:00\"}".toCharArray();
        assertThat(IsoTimestamps.parse(buffer, 7, 32))
                .isEqualTo(OffsetDateTime.parse("2024-02-29T23:59:59.000001Z"));
    }

    @Test
    void kafkaTimestampsAreTheSameValuesAsOfInstantGives() {
        Random random = new Random(7);
        for (long millis : new long[] {0, 1, -1, 999, -999, -1000, 1_764_460_800_000L, Long.MAX_VALUE / 1_000_000,
                -62_135_596_800_000L}) {
            assertThat(IsoTimestamps.utc(millis)).as("%d", millis)
                    .isEqualTo(OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
        }
        for (int i = 0; i < 10_000; i++) {
            long millis = random.nextLong() % 4_000_000_000_000L;
            assertThat(IsoTimestamps.utc(millis)).as("%d", millis)
                    .isEqualTo(OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
        }
    }

    /** A value of the common form, now and then out of range. */
    private static String timestamp(Random random) {
        StringBuilder text = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000),
                random.nextInt(14), 1 + random.nextInt(31), random.nextInt(25), random.nextInt(61),
                random.nextInt(61)));
        int fraction = random.nextInt(10);
        if (fraction > 0) {
            text.append('.');
            for (int i = 0; i < fraction; i++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
        }
        if (random.nextInt(3) == 0) {
            text.append('Z');
        } else {
            text.append(String.format("%c%02d:%02d", random.nextBoolean() ? '+' : '-', random.nextInt(20),
                    random.nextInt(4) == 0 ? random.nextInt(61) : 15 * random.nextInt(4)));
        }
        return text.toString();
    }

    /** One character replaced, dropped or added. */
    private static String mutate(String text, Random random) {
        StringBuilder mutation = new StringBuilder(text);
        int at = random.nextInt(text.length());
        char c = PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()));
        switch (random.nextInt(3)) {
            case 0 -> mutation.setCharAt(at, c);
            case 1 -> mutation.deleteCharAt(at);
            default -> mutation.insert(at, c);
        }
        return mutation.toString();
    }

    /** Reads the text from a random place in a larger buffer, as a streaming parser hands it over. */
    private static OffsetDateTime parse(String text, Random random) {
        int before = random.nextInt(8);
        char[] buffer = new char[before + text.length() + random.nextInt(8)];
        Arrays.fill(buffer, '9');
        text.getChars(0, text.length(), buffer, before);
        return IsoTimestamps.parse(buffer, before, text.length());
    }

    private static OffsetDateTime formatter(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
