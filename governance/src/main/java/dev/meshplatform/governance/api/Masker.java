package dev.meshplatform.governance.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Applies masks to values; the hash is keyed with {@code mesh.governance.mask-hash-key} when one is set. */
public final class Masker {

    static final String REDACTED = "****";

    private final byte[] hashKey;

    public Masker(String hashKey) {
        this.hashKey = hashKey == null || hashKey.isEmpty() ? null : hashKey.getBytes(StandardCharsets.UTF_8);
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
        return switch (mask) {
            case NULL -> null;
            case REDACT -> REDACTED;
            case HASH -> hash(text(value));
            case LAST4 -> last4(text(value));
            case YEAR -> year(value);
        };
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return String.valueOf(value);
    }

    private static String last4(String text) {
        int keep = Math.min(4, text.length() / 2);
        return "*".repeat(text.length() - keep) + text.substring(text.length() - keep);
    }

    private static Object year(Object value) {
        if (value instanceof LocalDate date) {
            return date.getYear();
        }
        if (value instanceof OffsetDateTime time) {
            return time.getYear();
        }
        if (value instanceof LocalDateTime time) {
            return time.getYear();
        }
        if (value instanceof ZonedDateTime time) {
            return time.getYear();
        }
        if (value instanceof Temporal) {
            return REDACTED;
        }
        return REDACTED;
    }

    private String hash(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (hashKey == null) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(bytes));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
