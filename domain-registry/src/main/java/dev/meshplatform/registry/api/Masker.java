package dev.meshplatform.registry.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies masks to values one row at a time, as serving does. Runs apply the same masks as Spark expressions over
 * their governed inputs; both follow the rules written here, and one table of test values keeps them equal:
 * <ul>
 *   <li>{@code NULL}: null; {@code REDACT}: {@code ****} for any value that is not null;</li>
 *   <li>{@code HASH}: hex HMAC-SHA256, keyed, of the value's canonical text ({@link #canonicalText});</li>
 *   <li>{@code LAST4}: every character but the last four (at most half of them) becomes {@code *}, counted in
 *       Unicode code points;</li>
 *   <li>{@code YEAR}: a date's or timestamp's year (timestamps in UTC); any other value is redacted;</li>
 *   <li>a struct or a list masked whole by {@code HASH}, {@code LAST4} or {@code YEAR} is redacted: a hash of a
 *       composite value would change whenever its schema does;</li>
 *   <li>null stays null under every mask.</li>
 * </ul>
 */
public final class Masker {

    public static final String REDACTED = "****";

    /** The canonical text of a timestamp: UTC, microseconds, as Spark's date_format writes it with this pattern. */
    public static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(TIMESTAMP_PATTERN);

    private final KeyedHash hash;

    /** @param hashKey the key of the HASH mask; never empty (the platform generates one when none is configured) */
    public Masker(String hashKey) {
        if (hashKey == null || hashKey.isEmpty()) {
            throw new IllegalArgumentException("the HASH mask needs a key");
        }
        this.hash = new KeyedHash(hashKey.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A copy of {@code row} with every masked field masked; the row is not changed. A mask is keyed by a column or
     * by a path into it: {@code contact.email} (a struct's field), {@code phones[]} (every item of a list),
     * {@code orders[].card} (a field of every item). A value whose shape does not fit its path is masked whole.
     */
    public Map<String, Object> apply(Map<String, MaskKind> masks, Map<String, Object> row) {
        if (masks.isEmpty()) {
            return row;
        }
        Map<String, Object> masked = new LinkedHashMap<>(row);
        masks.forEach((path, mask) -> maskField(masked, path.split("\\."), 0, mask));
        return masked;
    }

    /** Masks the field {@code steps[step]} of {@code struct} (in place: the struct is already a copy). */
    private void maskField(Map<String, Object> struct, String[] steps, int step, MaskKind mask) {
        String name = steps[step];
        int lists = 0;
        while (name.endsWith("[]")) {
            name = name.substring(0, name.length() - 2);
            lists++;
        }
        if (struct.containsKey(name)) {
            struct.put(name, maskValue(struct.get(name), lists, steps, step + 1, mask));
        }
    }

    @SuppressWarnings("unchecked")
    private Object maskValue(Object value, int lists, String[] steps, int next, MaskKind mask) {
        if (value == null) {
            return null;
        }
        if (lists > 0) {
            if (!(value instanceof List<?> items)) {
                return mask(mask, value);
            }
            List<Object> copy = new ArrayList<>(items.size());
            items.forEach(item -> copy.add(maskValue(item, lists - 1, steps, next, mask)));
            return copy;
        }
        if (next == steps.length) {
            return mask(mask, value);
        }
        if (!(value instanceof Map<?, ?> struct)) {
            return mask(mask, value);
        }
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) struct);
        maskField(copy, steps, next, mask);
        return copy;
    }

    public Object mask(MaskKind mask, Object value) {
        if (value == null) {
            return null;
        }
        boolean composite = value instanceof Map<?, ?> || value instanceof List<?>;
        return switch (mask) {
            case NULL -> null;
            case REDACT -> REDACTED;
            case HASH -> composite ? REDACTED : hash.hex(canonicalText(value));
            case LAST4 -> composite ? REDACTED : last4(canonicalText(value));
            case YEAR -> year(value);
        };
    }

    /**
     * The text a value is hashed as: strings as they are, numbers and booleans as Spark casts them to a string
     * (decimals without an exponent), dates as {@code yyyy-MM-dd}, timestamps in UTC as {@link #TIMESTAMP_PATTERN}.
     */
    public static String canonicalText(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof OffsetDateTime time) {
            return TIMESTAMP.format(time.withOffsetSameInstant(ZoneOffset.UTC));
        }
        if (value instanceof ZonedDateTime time) {
            return TIMESTAMP.format(time.withZoneSameInstant(ZoneOffset.UTC).toOffsetDateTime());
        }
        if (value instanceof LocalDateTime time) {
            return TIMESTAMP.format(time.atOffset(ZoneOffset.UTC));
        }
        return String.valueOf(value);
    }

    /** All but the last four code points (at most half of them) become {@code *}. */
    public static String last4(String text) {
        int length = text.codePointCount(0, text.length());
        int keep = Math.min(4, length / 2);
        int cut = text.offsetByCodePoints(0, length - keep);
        return "*".repeat(length - keep) + text.substring(cut);
    }

    private static Object year(Object value) {
        if (value instanceof LocalDate date) {
            return date.getYear();
        }
        if (value instanceof OffsetDateTime time) {
            return time.withOffsetSameInstant(ZoneOffset.UTC).getYear();
        }
        if (value instanceof ZonedDateTime time) {
            return time.withZoneSameInstant(ZoneOffset.UTC).getYear();
        }
        if (value instanceof LocalDateTime time) {
            return time.getYear();
        }
        return REDACTED;
    }

    /** Lower-case hex HMAC-SHA256 of the text's UTF-8 bytes: the HASH mask, here and in Spark. */
    public static String hmacHex(byte[] key, String text) {
        return KeyedHash.hex(newMac(key), text);
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    /**
     * {@link #hmacHex} for one key, called once per masked value: each thread keeps its own initialised {@link Mac}
     * (looking one up and keying it cost more than hashing a short value). Serializable for Spark's closures: the
     * key travels, the Macs are made where it is used.
     */
    public static final class KeyedHash implements java.io.Serializable {

        private static final long serialVersionUID = 1L;

        private final byte[] key;
        private transient volatile ThreadLocal<Mac> macs;

        public KeyedHash(byte[] key) {
            this.key = key.clone();
        }

        public String hex(String text) {
            ThreadLocal<Mac> perThread = macs;
            if (perThread == null) {
                // Two threads may both make one: each then keys its own Macs, equally right.
                perThread = ThreadLocal.withInitial(() -> newMac(key));
                macs = perThread;
            }
            return hex(perThread.get(), text);
        }

        private static String hex(Mac mac, String text) {
            // doFinal leaves the Mac reset, keyed, ready for the next value.
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            // Never the key.
            return "KeyedHash[HMAC-SHA256]";
        }
    }

    @Override
    public String toString() {
        // Never the key: a Masker may end up in a log line or an error text.
        return "Masker[HMAC-SHA256]";
    }
}
