package dev.meshplatform.registry.api;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semver 2.0 version; build metadata is kept in the text but ignored in ordering, as semver says. */
public record SemanticVersion(int major, int minor, int patch, String preRelease, String text)
        implements Comparable<SemanticVersion> {

    private static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    private static final Comparator<SemanticVersion> ORDER = Comparator
            .comparingInt(SemanticVersion::major)
            .thenComparingInt(SemanticVersion::minor)
            .thenComparingInt(SemanticVersion::patch)
            .thenComparing(SemanticVersion::preRelease, SemanticVersion::comparePreRelease);

    public static boolean isValid(String text) {
        return text != null && text.length() <= 64 && SEMVER.matcher(text).matches();
    }

    public static SemanticVersion parse(String text) {
        if (text == null || text.length() > 64) {
            throw new IllegalArgumentException("not a semantic version: " + text);
        }
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a semantic version (MAJOR.MINOR.PATCH): " + text);
        }
        return new SemanticVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), m.group(4), text);
    }

    @Override
    public int compareTo(SemanticVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return text;
    }

    // A version without pre-release ranks above one with it; identifiers compare numerically when both are numbers.
    private static int comparePreRelease(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            boolean leftNumeric = left[i].chars().allMatch(Character::isDigit);
            boolean rightNumeric = right[i].chars().allMatch(Character::isDigit);
            int c;
            if (leftNumeric && rightNumeric) {
                c = new java.math.BigInteger(left[i]).compareTo(new java.math.BigInteger(right[i]));
            } else if (leftNumeric != rightNumeric) {
                c = leftNumeric ? -1 : 1;
            } else {
                c = left[i].compareTo(right[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.length, right.length);
    }
}
