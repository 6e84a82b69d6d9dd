package dev.meshplatform.ingestion.landing;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The common form of an ISO-8601 timestamp with an offset, {@code 2026-01-31T12:00:00[.fraction](Z|+hh:mm|-hh:mm)},
 * read without a {@link java.time.format.DateTimeFormatter} (which costs several times more per value). Any other
 * form, and any value out of range, gives null: the caller then asks the formatter, which decides. Also Kafka's
 * timestamps as UTC values.
 */
final class IsoTimestamps {

    private static final int SHORTEST = "2026-01-31T12:00:00Z".length();
    private static final int LONGEST = "2026-01-31T12:00:00.123456789+01:00".length();

    private IsoTimestamps() {
    }

    /** The instant in UTC, as {@code OffsetDateTime.ofInstant} gives it without building the zone's rules each call. */
    static OffsetDateTime utc(long epochMillis) {
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
                (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC), ZoneOffset.UTC);
    }

    /** The timestamp in {@code text[offset, offset + length)}, or null when it is not in the common form. */
    static OffsetDateTime parse(char[] text, int offset, int length) {
        if (length < SHORTEST || length > LONGEST) {
            return null;
        }
        int end = offset + length;
        int year = digits(text, offset, 4);
        int month = digits(text, offset + 5, 2);
        int day = digits(text, offset + 8, 2);
        int hour = digits(text, offset + 11, 2);
        int minute = digits(text, offset + 14, 2);
        int second = digits(text, offset + 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || text[offset + 4] != '-' || text[offset + 7] != '-' || text[offset + 10] != 'T'
                || text[offset + 13] != ':' || text[offset + 16] != ':') {
            return null;
        }
        int at = offset + 19;
        int nanos = 0;
        if (text[at] == '.') {
            int first = ++at;
            while (at < end && at - first < 9 && isDigit(text[at])) {
                nanos = nanos * 10 + (text[at] - '0');
                at++;
            }
            int fractionDigits = at - first;
            if (fractionDigits == 0 || (at < end && isDigit(text[at]))) {
                return null;
            }
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        ZoneOffset zone = offset(text, at, end);
        if (zone == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, zone);
        } catch (DateTimeException e) {
            // Out of range (month 13, 30 February, hour 24): the formatter gives the refusal its words.
            return null;
        }
    }

    private static ZoneOffset offset(char[] text, int at, int end) {
        int left = end - at;
        if (left == 1) {
            return text[at] == 'Z' ? ZoneOffset.UTC : null;
        }
        if (left != 6 || (text[at] != '+' && text[at] != '-') || text[at + 3] != ':') {
            return null;
        }
        int hours = digits(text, at + 1, 2);
        int minutes = digits(text, at + 4, 2);
        if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
            return null;
        }
        int seconds = hours * 3600 + minutes * 60;
        try {
            return ZoneOffset.ofTotalSeconds(text[at] == '-' ? -seconds : seconds);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The value of {@code count} decimal digits at {@code at}, or -1 when one of them is not a digit. */
    private static int digits(char[] text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text[i];
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
