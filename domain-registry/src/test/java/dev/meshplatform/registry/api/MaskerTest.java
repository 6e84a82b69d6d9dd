package dev.meshplatform.registry.api;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MaskerTest {

    private final Masker plain = new Masker("key");
    private final Masker keyed = new Masker("secret");

    @Test
    void aMaskerWithoutAKeyIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Masker(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyMaskKind() {
        assertThat(plain.mask(MaskKind.NULL, "x")).isNull();
        assertThat(plain.mask(MaskKind.REDACT, 42)).isEqualTo("****");
        // RFC 4231-style check of the construction: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        assertThat(plain.mask(MaskKind.HASH, "The quick brown fox jumps over the lazy dog"))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
        assertThat((String) keyed.mask(MaskKind.HASH, "abc")).isNotEqualTo(plain.mask(MaskKind.HASH, "abc"))
                .isEqualTo(keyed.mask(MaskKind.HASH, "abc")).hasSize(64);
        assertThat(plain.mask(MaskKind.HASH, new BigDecimal("1E+2"))).isEqualTo(plain.mask(MaskKind.HASH, "100"));
        assertThat(plain.mask(MaskKind.LAST4, "4111111111111111")).isEqualTo("************1111");
        assertThat(plain.mask(MaskKind.LAST4, "abc")).isEqualTo("**c");
        assertThat(plain.mask(MaskKind.LAST4, "a😀b😀c")).as("code points, not UTF-16 units").isEqualTo("***😀c");
        assertThat(plain.mask(MaskKind.HASH, Map.of("a", 1))).isEqualTo("****");
        assertThat(plain.mask(MaskKind.LAST4, List.of("1234567"))).isEqualTo("****");
        assertThat(plain.mask(MaskKind.YEAR, OffsetDateTime.of(2026, 1, 1, 0, 30, 0, 0, ZoneOffset.ofHours(2))))
                .as("the year in UTC").isEqualTo(2025);
        assertThat(Masker.canonicalText(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6000, ZoneOffset.ofHours(1))))
                .isEqualTo("2026-01-02T02:04:05.000006Z");
        assertThat(new Masker("k").toString()).doesNotContain("k]");
        assertThat(plain.mask(MaskKind.YEAR, LocalDate.of(1984, 5, 6))).isEqualTo(1984);
        assertThat(plain.mask(MaskKind.YEAR, OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)))
                .isEqualTo(2026);
        assertThat(plain.mask(MaskKind.YEAR, "1984-05-06")).isEqualTo("****");
        for (MaskKind kind : MaskKind.values()) {
            assertThat(plain.mask(kind, null)).isNull();
        }
    }

    @Test
    void aRowIsCopiedWithItsMaskedColumnsOnly() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("email", "a@example.com");
        Map<String, Object> masked = plain.apply(Map.of("email", MaskKind.REDACT, "absent", MaskKind.NULL), row);
        assertThat(masked).containsExactly(Map.entry("id", 1L), Map.entry("email", "****"));
        assertThat(row.get("email")).isEqualTo("a@example.com");
    }

    @Test
    void nestedFieldsAreMaskedWhereTheyAreAndTheRowIsNotChanged() {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("email", "a@example.com");
        contact.put("city", "Utrecht");
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("card", "4111111111111111");
        payment.put("amount", 5L);
        Map<String, Object> noCard = new LinkedHashMap<>();
        noCard.put("card", null);
        noCard.put("amount", 7L);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("contact", contact);
        row.put("payments", java.util.Arrays.asList(payment, noCard, null));
        row.put("phones", List.of("+31611112222", "+31633334444"));
        row.put("matrix", List.of(List.of(Map.of("secret", "s1")), List.of()));

        Map<String, Object> masked = plain.apply(Map.of("contact.email", MaskKind.REDACT,
                "payments[].card", MaskKind.LAST4, "phones[]", MaskKind.NULL, "matrix[][].secret", MaskKind.REDACT,
                "contact.absent", MaskKind.NULL), row);

        assertThat(masked.get("contact")).isEqualTo(Map.of("email", "****", "city", "Utrecht"));
        assertThat(masked.get("payments")).isEqualTo(java.util.Arrays.asList(Map.of("card", "************1111",
                "amount", 5L), noCard, null));
        assertThat(masked.get("phones")).isEqualTo(java.util.Arrays.asList(null, null));
        assertThat(masked.get("matrix")).isEqualTo(List.of(List.of(Map.of("secret", "****")), List.of()));
        assertThat(contact.get("email")).as("the row read is not changed").isEqualTo("a@example.com");
        assertThat(payment.get("card")).isEqualTo("4111111111111111");
    }

    @Test
    void aValueWhoseShapeDoesNotFitItsPathIsMaskedWhole() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("contact", "a@example.com");
        row.put("phones", "+31611112222");
        Map<String, Object> masked = plain.apply(Map.of("contact.email", MaskKind.REDACT,
                "phones[]", MaskKind.REDACT), row);
        assertThat(masked).containsEntry("contact", "****").containsEntry("phones", "****");
    }

    @Test
    void rowFiltersParseAndPrintBack() {
        RowFilter in = RowFilter.parse("country:in:NL|DE");
        assertThat(in.operator()).isEqualTo(RowFilter.Operator.IN);
        assertThat(in.values()).containsExactly("NL", "DE");
        assertThat(in.text()).isEqualTo("country:in:NL|DE");
        assertThat(RowFilter.parse("note:is_null").values()).isEmpty();
        assertThat(RowFilter.parse("url:eq:https://x").values()).containsExactly("https://x");
        for (String bad : new String[]{"country", ":eq:1", "a:like:x", "a:eq"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RowFilter.parse(bad))
                    .isInstanceOf(RegistryException.class).hasMessageContaining(bad);
        }
    }

    @Test
    void aKeyedHashHashesAsHmacHexOnEveryThreadAndAfterSerialization() throws Exception {
        byte[] key = "secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Masker.KeyedHash hash = new Masker.KeyedHash(key);
        List<String> values = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "p" + i + "@example.com").toList();
        // Once for every value, then again: a Mac reused after doFinal must give the same hash.
        for (int pass = 0; pass < 2; pass++) {
            for (String value : values) {
                assertThat(hash.hex(value)).isEqualTo(Masker.hmacHex(key, value));
            }
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<String>>> hashed = new java.util.ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                hashed.add(pool.submit(() -> values.stream().map(hash::hex).toList()));
            }
            List<String> expected = values.stream().map(v -> Masker.hmacHex(key, v)).toList();
            for (var result : hashed) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(hash);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            Masker.KeyedHash copy = (Masker.KeyedHash) in.readObject();
            assertThat(copy.hex("a@b.c")).isEqualTo(Masker.hmacHex(key, "a@b.c"));
        }
        assertThat(hash.toString()).doesNotContain("secret");
        // The key is copied: changing the caller's array changes nothing.
        key[0] = 'X';
        assertThat(hash.hex("a@b.c")).isEqualTo(Masker.hmacHex("secret".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "a@b.c"));
    }
}
