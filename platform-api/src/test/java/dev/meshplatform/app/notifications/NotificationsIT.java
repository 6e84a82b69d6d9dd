package dev.meshplatform.app.notifications;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.app.testsupport.WebhookReceiver;
import dev.meshplatform.app.testsupport.WebhookReceiver.Received;
import dev.meshplatform.governance.api.AccessRequestCreated;
import dev.meshplatform.governance.api.AccessRequestView;
import dev.meshplatform.ingestion.api.DeadLettersLanded;
import dev.meshplatform.registry.api.SloStateChanged;
import dev.meshplatform.registry.api.ProductMajor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks against a real HTTP server on 127.0.0.1 (allowed for the tests by mesh.notifications.allowed-networks):
 * signed CloudEvents delivered, an endpoint that holds its request holds up no change, a failing one retried and
 * logged, refused addresses refused, and a change that rolls back notifies nobody.
 */
class NotificationsIT extends PlatformIT {

    private static WebhookReceiver receiver;

    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    PlatformTransactionManager transactions;

    private String shop;
    private String buyer;
    private String shopOwner;
    private String buyerOwner;
    private String buyerMember;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static String url(String path) {
        return receiver.url(path);
    }

    @BeforeEach
    void domains() {
        if (shop != null) {
            return;
        }
        shop = createDomain("shop");
        buyer = createDomain("buyer");
        shopOwner = issueKey("DOMAIN_OWNER", shop);
        buyerOwner = issueKey("DOMAIN_OWNER", buyer);
        buyerMember = issueKey("DOMAIN_MEMBER", buyer);
        publish(shop, "orders", DescriptorJson.titled("Orders"));
    }

    private void publish(String domain, String product, ObjectNode descriptor) {
        Api.Response applied = api.put(versionPath(domain, product, "1.0.0"), ADMIN_KEY, descriptor);
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        transition(domain, product, "PUBLISHED");
    }

    private Api.Response transition(String domain, String product, String to) {
        Api.Response moved = api.post(versionPath(domain, product, "1.0.0") + "/transitions", shopOwner,
                Map.of("to", to));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        return moved;
    }

    private JsonNode subscribe(String domain, String key, Map<String, Object> spec) {
        Api.Response created = api.post("/api/v1/domains/" + domain + "/webhooks", key, spec);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private String requestAccess() {
        Api.Response requested = api.post("/api/v1/domains/" + shop + "/products/orders/access-requests",
                buyerMember, Map.of("purpose", "order-reporting", "columns", List.of(), "duration", "P30D"));
        assertThat(requested.status()).as(requested.body()).isEqualTo(201);
        return requested.json().path("id").asString();
    }

    private JsonNode deliveries(String domain, String webhook) {
        return api.get("/api/v1/domains/" + domain + "/webhooks/" + webhook + "/deliveries", ADMIN_KEY).json()
                .path("items");
    }

    @Test
    void notificationsAreDeliveredAsSignedCloudEvents() {
        String secret = "shop-webhook-secret-" + UUID.randomUUID();
        JsonNode shopHook = subscribe(shop, shopOwner, Map.of("url", url("/ok"), "secret", secret,
                "events", List.of("dev.meshplatform.access-request.created"), "description", "the shop's inbox"));
        assertThat(shopHook.path("secret").asString()).isEqualTo(secret);
        // The buyer lets the platform generate its secret: shown once, in this answer.
        JsonNode buyerHook = subscribe(buyer, buyerOwner, Map.of("url", url("/ok"),
                "events", List.of("dev.meshplatform.access-request.decided")));
        String generated = buyerHook.path("secret").asString();
        assertThat(generated).startsWith("whsec_").hasSizeGreaterThan(40);

        String request = requestAccess();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/ok",
                "dev.meshplatform.access-request.created").stream()
                .anyMatch(r -> r.json().path("data").path("id").asString().equals(request)));
        Received created = receiver.received("/ok", "dev.meshplatform.access-request.created").stream()
                .filter(r -> r.json().path("data").path("id").asString().equals(request)).findFirst().orElseThrow();
        assertThat(created.header("Content-Type")).startsWith("application/cloudevents+json");
        JsonNode event = created.json();
        assertThat(event.path("specversion").asString()).isEqualTo("1.0");
        assertThat(event.path("source").asString()).isEqualTo("urn:meshplatform");
        assertThat(event.path("subject").asString()).isEqualTo(shop + "/orders/access-requests/" + request);
        assertThat(event.path("datacontenttype").asString()).isEqualTo("application/json");
        assertThat(Instant.parse(event.path("time").asString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(event.path("data").path("requesterDomain").asString()).isEqualTo(buyer);
        assertThat(event.path("data").path("status").asString()).isEqualTo("PENDING");
        WebhookReceiver.assertSigned(created, secret);

        Api.Response rejected = api.post("/api/v1/domains/" + shop + "/products/orders/access-requests/" + request
                + "/reject", shopOwner, Map.of("reason", "not for reporting"));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/ok",
                "dev.meshplatform.access-request.decided").stream()
                .anyMatch(r -> r.json().path("data").path("id").asString().equals(request)));
        Received decided = receiver.received("/ok", "dev.meshplatform.access-request.decided").stream()
                .filter(r -> r.json().path("data").path("id").asString().equals(request)).findFirst().orElseThrow();
        assertThat(decided.json().path("data").path("status").asString()).isEqualTo("REJECTED");
        WebhookReceiver.assertSigned(decided, generated);

        // The delivery log has the attempt; list and get never show the secret again.
        String hook = shopHook.path("id").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(shop, hook).size() == 1);
        JsonNode attempt = deliveries(shop, hook).get(0);
        assertThat(attempt.path("outcome").asString()).isEqualTo("DELIVERED");
        assertThat(attempt.path("statusCode").asInt()).isEqualTo(204);
        assertThat(attempt.path("eventId").asString()).isEqualTo(event.path("id").asString());
        Api.Response list = api.get("/api/v1/domains/" + shop + "/webhooks", shopOwner);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).contains(hook);
        Api.Response one = api.get("/api/v1/domains/" + shop + "/webhooks/" + hook, shopOwner);
        assertThat(one.body()).doesNotContain(secret);
        assertThat(one.json().path("events").get(0).asString()).isEqualTo("dev.meshplatform.access-request.created");
        // The buyer's request to the shop went to the shop's webhook only.
        assertThat(deliveries(buyer, buyerHook.path("id").asString()))
                .allMatch(d -> d.path("type").asString().equals("dev.meshplatform.access-request.decided"));
    }

    /** Publishes {@code product} 1.0.0 and {@code reader} 1.0.0, which reads its major 1 through input port "in". */
    private void publishWithReader(String domain, String owner, String product, String reader) {
        publishVersion(domain, owner, product, "1.0.0", DescriptorJson.titled("Upstream"));
        ObjectNode descriptor = Api.JSON.createObjectNode().put("title", "Reader");
        descriptor.putArray("inputPorts").addObject().put("name", "in").put("type", "product")
                .put("domain", domain).put("product", product).put("majorVersion", 1);
        descriptor.putArray("schema").addObject().put("name", "items").put("type", "long");
        descriptor.putObject("transformation").put("sql", "SELECT count(*) AS items FROM "
                + new ProductMajor(domain, product, 1).inputView());
        publishVersion(domain, owner, reader, "1.0.0", DescriptorJson.governed(descriptor));
    }

    private void publishVersion(String domain, String owner, String product, String version, ObjectNode descriptor) {
        Api.Response applied = api.put(versionPath(domain, product, version), owner, descriptor);
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        Api.Response published = api.post(versionPath(domain, product, version) + "/transitions", owner,
                Map.of("to", "PUBLISHED"));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    @Test
    void anEndpointThatHoldsItsRequestHoldsUpNoTransition() {
        // A product of the shop's reads its orders: the shop hears about every move of orders' major 1.
        String shelf = createDomain("shelf");
        String owner = issueKey("DOMAIN_OWNER", shelf);
        publishWithReader(shelf, owner, "stock", "stock-count");

        receiver.hold();
        String hook = subscribe(shelf, owner, Map.of("url", url("/hold"), "events",
                List.of("dev.meshplatform.upstream.deprecated", "dev.meshplatform.upstream.retired")))
                .path("id").asString();
        try {
            Api.Response deprecated = api.post(versionPath(shelf, "stock", "1.0.0") + "/transitions", owner,
                    Map.of("to", "DEPRECATED"));
            assertThat(deprecated.status()).as(deprecated.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.holding() == 1);

            // While the endpoint holds the first notification, the next transition completes.
            Api.Response retired = api.post(versionPath(shelf, "stock", "1.0.0") + "/transitions", owner,
                    Map.of("to", "RETIRED"));
            assertThat(retired.status()).as(retired.body()).isEqualTo(200);
            assertThat(receiver.holding()).as("the endpoint still holds the first request").isEqualTo(1);
            assertThat(receiver.released()).isFalse();
            // Its notification committed with it, and waits behind the one in flight (one at a time per webhook).
            JsonNode webhook = api.get("/api/v1/domains/" + shelf + "/webhooks/" + hook, owner).json();
            assertThat(webhook.path("pending").asLong()).isEqualTo(2);
        } finally {
            receiver.release();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(shelf, hook).size() == 2);
        List<String> types = new ArrayList<>();
        deliveries(shelf, hook).forEach(d -> {
            assertThat(d.path("outcome").asString()).isEqualTo("DELIVERED");
            types.add(d.path("type").asString());
        });
        // Newest first: retired after deprecated.
        assertThat(types).containsExactly("dev.meshplatform.upstream.retired", "dev.meshplatform.upstream.deprecated");
        JsonNode event = receiver.received("/hold", "dev.meshplatform.upstream.deprecated").get(0).json();
        assertThat(event.path("subject").asString()).isEqualTo(shelf + "/stock/versions/1.0.0");
        assertThat(event.path("data").path("readers").get(0).path("product").asString()).isEqualTo("stock-count");
    }

    @Test
    void anUpstreamNewMajorIsAnnouncedToTheReadersOfItsOtherMajors() {
        String maker = createDomain("maker");
        String owner = issueKey("DOMAIN_OWNER", maker);
        publishWithReader(maker, owner, "parts", "part-count");
        String hook = subscribe(maker, owner, Map.of("url", url("/ok"),
                "events", List.of("dev.meshplatform.upstream.new-major"))).path("id").asString();

        for (String version : List.of("2.0.0", "2.1.0")) {
            publishVersion(maker, owner, "parts", version, DescriptorJson.titled("Upstream"));
            if (version.equals("2.0.0")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(maker, hook).size() == 1);
            }
        }
        // The notification of a change commits with it: a minor of major 2 left none behind.
        assertThat(api.get("/api/v1/domains/" + maker + "/webhooks/" + hook, owner).json().path("pending").asLong())
                .isZero();
        assertThat(deliveries(maker, hook)).hasSize(1);
        JsonNode event = receiver.received("/ok", "dev.meshplatform.upstream.new-major").stream()
                .map(Received::json).filter(e -> e.path("data").path("domain").asString().equals(maker))
                .findFirst().orElseThrow();
        assertThat(event.path("subject").asString()).isEqualTo(maker + "/parts/versions/2.0.0");
        assertThat(event.path("data").path("major").asInt()).isEqualTo(2);
        JsonNode readers = event.path("data").path("readers");
        assertThat(readers).hasSize(1);
        assertThat(readers.get(0).path("product").asString()).isEqualTo("part-count");
        assertThat(readers.get(0).path("readsMajor").asInt()).isEqualTo(1);
        assertThat(readers.get(0).path("inputPort").asString()).isEqualTo("in");
    }

    @Test
    void aFailingEndpointIsRetriedAndEveryAttemptLogged() {
        String failing = subscribe(shop, shopOwner, Map.of("url", url("/fail"),
                "events", List.of("dev.meshplatform.access-request.created"))).path("id").asString();
        // A redirect is a failure: the platform never follows it to where it points.
        String redirecting = subscribe(shop, shopOwner, Map.of("url", url("/redirect"),
                "events", List.of("dev.meshplatform.access-request.created"))).path("id").asString();
        try {
            requestAccess();
            // mesh.notifications.max-attempts is 3 in the tests.
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(shop, failing).size() == 3
                    && deliveries(shop, redirecting).size() == 3);
            JsonNode attempts = deliveries(shop, failing);
            assertThat(attempts.get(0).path("outcome").asString()).isEqualTo("FAILED");
            assertThat(attempts.get(0).path("attempt").asInt()).isEqualTo(3);
            assertThat(attempts.get(1).path("outcome").asString()).isEqualTo("RETRYING");
            assertThat(attempts.get(2).path("outcome").asString()).isEqualTo("RETRYING");
            attempts.forEach(a -> {
                assertThat(a.path("statusCode").asInt()).isEqualTo(500);
                assertThat(a.path("error").asString()).isEqualTo("HTTP 500");
            });
            assertThat(attempts.get(0).path("eventId").asString()).isEqualTo(attempts.get(2).path("eventId")
                    .asString());
            JsonNode webhook = api.get("/api/v1/domains/" + shop + "/webhooks/" + failing, shopOwner).json();
            assertThat(webhook.path("failed").asLong()).isEqualTo(1);
            assertThat(webhook.path("pending").asLong()).isZero();
            JsonNode redirected = deliveries(shop, redirecting).get(0);
            assertThat(redirected.path("statusCode").asInt()).isEqualTo(302);
            assertThat(redirected.path("error").asString()).contains("redirects are not followed");
            assertThat(receiver.received().stream().filter(r -> r.path().equals("/redirect")).count()).isEqualTo(3);
        } finally {
            api.delete("/api/v1/domains/" + shop + "/webhooks/" + failing, shopOwner);
            api.delete("/api/v1/domains/" + shop + "/webhooks/" + redirecting, shopOwner);
        }
        assertThat(api.get("/api/v1/domains/" + shop + "/webhooks/" + failing, shopOwner).status())
                .isEqualTo(404);
    }

    @Test
    void aWebhookToARefusedAddressIsRefusedWhenSubscribed() {
        List<String> refused = List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hook",
                "http://192.168.0.10/hook", "http://127.0.0.2/hook", "http://localhost:" + port + "/hook",
                "http://127.0.0.1:" + port + "/api/v1/domains", "http://[::ffff:127.0.0.1]:" + port + "/",
                "http://2130706433/", "http://0x7f.0.0.1/", "http://[::1]/", "http://0.0.0.0/",
                "ftp://example.com/", "http://user:pw@example.com/", "http://100.64.0.1/");
        for (String url : refused) {
            Api.Response answer = api.post("/api/v1/domains/" + shop + "/webhooks", shopOwner, Map.of("url", url));
            assertThat(answer.status()).as(url + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.code()).as(url).isEqualTo("webhook-address-refused");
        }
        Api.Response unknownType = api.post("/api/v1/domains/" + shop + "/webhooks", shopOwner,
                Map.of("url", url("/ok"), "events", List.of("dev.meshplatform.nothing")));
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.code()).isEqualTo("unknown-event-type");
        assertThat(api.get("/api/v1/domains/" + shop + "/webhooks", shopOwner).body())
                .doesNotContain("169.254.169.254", "10.0.0.1", "/api/v1/domains\"");
    }

    @Test
    void aChangeThatRollsBackNotifiesNobody() {
        String domain = createDomain("rollback");
        String owner = issueKey("DOMAIN_OWNER", domain);
        String hook = subscribe(domain, owner, Map.of("url", url("/ok"))).path("id").asString();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        AccessRequestView rolledBack = request(domain, "rolled-back");
        transaction.executeWithoutResult(tx -> {
            events.publishEvent(new AccessRequestCreated(rolledBack));
            tx.setRollbackOnly();
        });
        AccessRequestView committed = request(domain, "committed");
        transaction.executeWithoutResult(tx -> events.publishEvent(new AccessRequestCreated(committed)));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().stream()
                .anyMatch(r -> r.path().equals("/ok")
                && r.json().path("data").path("id").asString().equals(committed.id())));
        assertThat(receiver.received()).noneMatch(r -> r.path().equals("/ok")
                && r.json().path("data").path("id").asString().equals(rolledBack.id()));
        // The delivery is logged once the endpoint has answered: after the request was received.
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/domains/" + domain + "/webhooks/" + hook,
                owner).json().path("pending").asLong() == 0 && !deliveries(domain, hook).isEmpty());
        assertThat(deliveries(domain, hook)).hasSize(1);
    }

    @Test
    void aGrantAboutToExpireIsAnnouncedOnceToBothDomains() {
        String buyerHook = subscribe(buyer, buyerOwner, Map.of("url", url("/ok"),
                "events", List.of("dev.meshplatform.grant.expiring"))).path("id").asString();
        String shopHook = subscribe(shop, shopOwner, Map.of("url", url("/ok"),
                "events", List.of("dev.meshplatform.grant.expiring"))).path("id").asString();
        String first = approve(requestAccess(), "P3D");
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(buyer, buyerHook).size() == 1
                && deliveries(shop, shopHook).size() == 1);
        // A grant of 30 days is not within the notice of 7; a second one of 2 days is, and is announced by a later
        // scan: by then, every scan since the first announcement has found the first grant announced already.
        approve(requestAccess(), "P30D");
        String second = approve(requestAccess(), "P2D");
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(buyer, buyerHook).size() == 2);
        List<String> grants = new ArrayList<>();
        receiver.received("/ok", "dev.meshplatform.grant.expiring").stream()
                .filter(r -> r.json().path("data").path("granteeDomain").asString().equals(buyer))
                .forEach(r -> grants.add(r.json().path("data").path("id").asString()));
        // Each domain's webhook got each grant once: two domains, two grants.
        assertThat(grants).containsExactlyInAnyOrder(first, first, second, second);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(shop, shopHook).size() == 2);
        assertThat(deliveries(buyer, buyerHook)).hasSize(2);
    }

    private String approve(String request, String duration) {
        Api.Response approved = api.post("/api/v1/domains/" + shop + "/products/orders/access-requests/" + request
                + "/approve", shopOwner, Map.of("duration", duration));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        return approved.json().path("grantId").asString();
    }

    @Test
    void sloChangesAndDeadLettersOverTheThresholdAreNotified() {
        String domain = createDomain("watched");
        String owner = issueKey("DOMAIN_OWNER", domain);
        String hook = subscribe(domain, owner, Map.of("url", url("/ok"), "deadLetterThreshold", 5, "events",
                List.of("dev.meshplatform.slo.state-changed", "dev.meshplatform.dead-letters.over-threshold")))
                .path("id").asString();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        Instant at = Instant.parse("2026-11-29T10:15:00Z");
        transaction.executeWithoutResult(tx -> events.publishEvent(new SloStateChanged(domain, "orders", 1, "1.2.0",
                "freshness", "MET", "BREACHED", "the newest data is 3h old; the target is 1h", at)));
        // 3 + 1 dead letters stay below 5; the next 2 reach it (one notification); 7 more in the hour add none; the
        // next hour counts anew.
        for (long count : new long[]{3, 1, 2, 7}) {
            transaction.executeWithoutResult(tx -> events.publishEvent(new DeadLettersLanded(domain, "orders", 1,
                    count, 0, at.plusSeconds(count))));
        }
        transaction.executeWithoutResult(tx -> events.publishEvent(new DeadLettersLanded(domain, "orders", 1, 5,
                0, at.plus(Duration.ofHours(1)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(domain, hook).size() == 3);
        Received slo = receiver.received().stream().filter(r -> r.path().equals("/ok")
                && r.json().path("subject").asString().equals(domain + "/orders/v1")
                && r.json().path("type").asString().equals("dev.meshplatform.slo.state-changed")).findFirst()
                .orElseThrow();
        assertThat(slo.json().path("data").path("to").asString()).isEqualTo("BREACHED");
        List<JsonNode> overs = receiver.received().stream().filter(r -> r.path().equals("/ok")
                && r.json().path("subject").asString().equals(domain + "/orders/v1")
                && r.json().path("type").asString().equals("dev.meshplatform.dead-letters.over-threshold"))
                .map(Received::json).toList();
        assertThat(overs).extracting(e -> e.path("data").path("windowStart").asString())
                .containsExactlyInAnyOrder("2026-11-29T10:00:00Z", "2026-11-29T11:00:00Z");
        assertThat(overs).extracting(e -> e.path("data").path("deadLetters").asLong()).containsExactlyInAnyOrder(6L, 5L);
    }

    @Test
    void aFailedRunIsNotified() {
        String domain = createDomain("runs");
        String owner = issueKey("DOMAIN_OWNER", domain);
        String hook = subscribe(domain, owner, Map.of("url", url("/ok"),
                "events", List.of("dev.meshplatform.run.failed"))).path("id").asString();
        // Its transformation writes no id, and its blocking rule wants one: the run ends FAILED, unpublished.
        ObjectNode descriptor = Api.JSON.createObjectNode().put("title", "Nothing");
        descriptor.putArray("schema").addObject().put("name", "id").put("type", "long");
        descriptor.putObject("transformation").put("sql", "SELECT CAST(NULL AS BIGINT) AS id FROM range(1, 3)");
        DescriptorJson.governed(descriptor);
        descriptor.putArray("quality").addObject().put("name", "id-present").put("type", "not_null")
                .put("column", "id");
        Api.Response applied = api.put(versionPath(domain, "nothing", "1.0.0"), owner, descriptor);
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        assertThat(api.post(versionPath(domain, "nothing", "1.0.0") + "/transitions", owner,
                Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
        JsonNode run = dev.meshplatform.app.testsupport.GovernedProducts.runToEnd(api, owner, domain, "nothing");
        assertThat(run.path("state").asString()).isEqualTo("FAILED");
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(domain, hook).size() == 1);
        Received failed = receiver.received("/ok", "dev.meshplatform.run.failed").stream()
                .filter(r -> r.json().path("data").path("id").asString().equals(run.path("id").asString()))
                .findFirst().orElseThrow();
        assertThat(failed.json().path("subject").asString())
                .isEqualTo(domain + "/nothing/runs/" + run.path("id").asString());
        assertThat(failed.json().path("data").path("error").asString()).contains("id-present");
    }

    private static AccessRequestView request(String domain, String id) {
        return new AccessRequestView(id + "-" + UUID.randomUUID(), domain, "orders", "someone-else", "tester",
                "testing", List.of(), "P1D", null, AccessRequestView.Status.PENDING, null, null, null, null,
                Instant.now());
    }
}
