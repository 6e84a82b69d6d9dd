package dev.meshplatform.app.notifications;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookAddressesTest {

    private static final int PLATFORM_PORT = 8080;
    private final WebhookAddresses strict = new WebhookAddresses(List.of(), () -> PLATFORM_PORT);

    /** Every URL here reaches the machine, its network or a cloud's metadata, or is one parsers disagree about. */
    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/hook", "http://127.0.0.1:9000/hook", "http://127.1/", "http://127.000.000.001/",
            "http://2130706433/", "http://017700000001/", "http://0x7f000001/", "http://0x7f.0.0.1/",
            "http://0177.0.0.1/", "http://0/", "http://0.0.0.0/", "http://localhost/", "http://LOCALHOST:80/",
            "http://localhost./", "http://[::1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:127.0.0.1]/", "http://[::127.0.0.1]/",
            "http://[64:ff9b::127.0.0.1]/", "http://[2002:7f00:1::]/", "http://[::ffff:169.254.169.254]/",
            "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[fd00:ec2::254]/",
            "http://[fc00::1]/", "http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.255/",
            "http://192.168.1.1/", "http://100.64.0.1/", "http://100.127.255.254/", "http://224.0.0.1/",
            "http://[ff02::1]/", "http://255.255.255.255/", "http://240.0.0.1/", "http://198.18.0.1/",
            "http://192.0.0.170/", "http://user:pass@example.com/", "http://example.com@127.0.0.1/",
            "http://attacker.example@169.254.169.254/", "ftp://example.com/", "file:///etc/passwd",
            "gopher://127.0.0.1:6379/_", "javascript:alert(1)", "//example.com/", "http:///path",
            "http://exa mple.com/", "http://under_score.example.com/", "http://example.com/#frag",
            "http://[::ffff:10.0.0.1]/", "http://[::ffff:0.0.0.0]/", "http://1.1.1.1.1/", "http://256.0.0.1/",
            "http://[1::2::3]/", "not a url", ""})
    void refusesHostileUrls(String url) {
        assertThatThrownBy(() -> strict.check(url)).as(url).isInstanceOf(WebhookAddresses.Refused.class);
    }

    @Test
    void refusesTheMachinesOwnInterfaceAddresses() throws Exception {
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                if (address instanceof java.net.Inet4Address) {
                    assertThatThrownBy(() -> strict.check("http://" + address.getHostAddress() + "/"))
                            .as(address.toString()).isInstanceOf(WebhookAddresses.Refused.class);
                }
            }
        }
    }

    @Test
    void acceptsPublicAddressLiterals() {
        assertThat(strict.check("https://8.8.8.8/hook").addresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("8.8.8.8");
        assertThat(strict.check("http://[2606:4700:4700::1111]:8443/x?y=1").uri().getPort()).isEqualTo(8443);
        assertThat(strict.check("HTTPS://1.1.1.1/").uri().getHost()).isEqualTo("1.1.1.1");
    }

    @Test
    void anAdminAllowedRangeOpensOnlyThatRange() {
        WebhookAddresses allowing = new WebhookAddresses(List.of("127.0.0.1/32", "10.20.0.0/16"), () -> PLATFORM_PORT);
        assertThat(allowing.check("http://127.0.0.1:9000/hook").addresses()).hasSize(1);
        assertThat(allowing.check("http://10.20.3.4/hook").addresses()).hasSize(1);
        assertThatThrownBy(() -> allowing.check("http://127.0.0.2/")).isInstanceOf(WebhookAddresses.Refused.class);
        assertThatThrownBy(() -> allowing.check("http://10.21.0.1/")).isInstanceOf(WebhookAddresses.Refused.class);
        assertThatThrownBy(() -> allowing.check("http://169.254.169.254/"))
                .isInstanceOf(WebhookAddresses.Refused.class);
        // Allowed or not, the platform's own port on its own addresses is not a webhook.
        assertThatThrownBy(() -> allowing.check("http://127.0.0.1:" + PLATFORM_PORT + "/api/v1/domains"))
                .isInstanceOf(WebhookAddresses.Refused.class).hasMessageContaining("the platform itself");
    }

    @Test
    void aBadAllowedRangeFailsAtStartup() {
        assertThatThrownBy(() -> new WebhookAddresses(List.of("127.1/8"), () -> PLATFORM_PORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed-networks");
        assertThatThrownBy(() -> new WebhookAddresses(List.of("10.0.0.0/33"), () -> PLATFORM_PORT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSignatureIsTheHmacOfIdTimestampAndBody() {
        // Computed independently: printf 'e1.1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret-s3cret-s3cret
        assertThat(WebhookDeliveries.signature("s3cret-s3cret-s3cret", "e1", 1_700_000_000L, "{\"a\":1}"))
                .isEqualTo(HMAC);
    }

    private static final String HMAC = "11bcf23c523ccefd4e9446842b7f47009d49c8e8a6d959e03c8b57e4297c0f76";
}
