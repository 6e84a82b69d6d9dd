package dev.meshplatform.app.governance;

import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.processing.api.OutputPorts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signed cursor of governed reads: what it carries, the earlier format it still reads, and what it refuses. */
class DataCursorTest {

    private static final byte[] KEY = "a key of the platform, 32 bytes.".getBytes(StandardCharsets.UTF_8);
    private static final OutputPorts.ScanPosition POSITION = new OutputPorts.ScanPosition(
            "s3://mesh/warehouse/sales/customers_v1/data/00000-1-a.parquet", 4_194_308, 31_250);
    private static final DataController.Cursor CURSOR = DataController.Cursor.at("reader/CONSUMER/marketing",
            "sales/customers", 1, 7_123_456_789L, POSITION, "0f1e2d3c");

    @Test
    void aCursorCarriesThePositionOfTheNextPage() {
        DataController.Cursor decoded = DataController.Cursor.decode(CURSOR.encode(KEY), KEY);
        assertThat(decoded).isEqualTo(CURSOR);
        assertThat(decoded.position()).isEqualTo(POSITION);
        assertThat(decoded.offset()).isZero();
    }

    @Test
    void aCursorOfTheEarlierFormatStillCountsRowsFromTheStart() {
        String earlier = sign("c1\nreader/CONSUMER/marketing\nsales/customers\n1\n7123456789\n3000\n0f1e2d3c");
        DataController.Cursor decoded = DataController.Cursor.decode(earlier, KEY);
        assertThat(decoded.position()).isNull();
        assertThat(decoded.offset()).isEqualTo(3_000);
        assertThat(decoded.snapshot()).isEqualTo(7_123_456_789L);
    }

    @Test
    void anAlteredPositionIsRefused() {
        String cursor = CURSOR.encode(KEY);
        String signature = cursor.substring(cursor.indexOf('.') + 1);
        String payload = new String(Base64.getUrlDecoder().decode(cursor.substring(0, cursor.indexOf('.'))),
                StandardCharsets.UTF_8);
        for (String altered : new String[]{payload.replace("\n31250\n", "\n0\n"),
                payload.replace("\n4194308\n", "\n4\n"), payload.replace("00000-1-a", "00001-1-a")}) {
            assertThat(altered).isNotEqualTo(payload);
            assertRefused(encode(altered) + "." + signature);
        }
        // Signed with another key, or an earlier cursor altered, or not a cursor at all.
        assertRefused(CURSOR.encode("another key of 32 bytes, or so..".getBytes(StandardCharsets.UTF_8)));
        String earlier = sign("c1\nreader/CONSUMER/marketing\nsales/customers\n1\n7123456789\n3000\n0f1e2d3c");
        assertRefused(encode("c1\nreader/CONSUMER/marketing\nsales/customers\n1\n7123456789\n0\n0f1e2d3c")
                + earlier.substring(earlier.indexOf('.')));
        assertRefused(sign("c2\nreader/CONSUMER/marketing\nsales/customers\n1\n7123456789\nfile\n-1\n0\nq"));
        assertRefused(sign("c3\nreader/CONSUMER/marketing\nsales/customers\n1\n7123456789\nfile\n4\n0\nq"));
        assertRefused("garbage");
        assertRefused(cursor.substring(0, cursor.length() - 2));
    }

    private static void assertRefused(String cursor) {
        assertThatThrownBy(() -> DataController.Cursor.decode(cursor, KEY))
                .isInstanceOfSatisfying(GovernanceException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid-cursor"));
    }

    /** A payload signed as the API signs cursors. */
    private static String sign(String payload) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
            return encode(payload) + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }
}
