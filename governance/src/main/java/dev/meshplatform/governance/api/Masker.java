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
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

    /** A copy of {@code row} with every masked column masked; the row is not changed. */
    public Map<String, Object> apply(Map<String, MaskKind> masks, Map<String, Object> row) {
        if (masks.isEmpty()) {
            return row;
        }
        Map<String, Object> masked = new LinkedHashMap<>(row);
        masks.forEach((column, mask) -> {
            if (masked.containsKey(column)) {
                masked.put(column, mask(mask, masked.get(column)));
            }
        });
        return masked;
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
