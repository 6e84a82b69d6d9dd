package dev.meshplatform.governance.notify;

import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.NotificationOutbox;
import dev.meshplatform.governance.api.NotificationProperties;
import dev.meshplatform.governance.api.NotificationType;
import dev.meshplatform.governance.api.Notifications;
import dev.meshplatform.governance.api.WebhookDelivery;
import dev.meshplatform.governance.api.WebhookSpec;
import dev.meshplatform.governance.api.WebhookView;
import dev.meshplatform.registry.api.MeshPrincipal;
import dev.meshplatform.registry.api.PageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Webhook subscriptions, the outbox of their notifications and the delivery log, in the platform's database. */
final class NotificationService implements Notifications, NotificationOutbox {

    private static final Logger log = LoggerFactory.getLogger(NotificationService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The widest body the outbox keeps; a bigger event's data is cut to a note (events are small: views, ids). */
    static final int MAX_BODY = 100_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NotificationProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    NotificationService(JdbcTemplate jdbc, TransactionTemplate transactions, NotificationProperties properties,
                        Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    private record Subscription(String id, List<String> events, int deadLetterThreshold) {
        boolean wants(NotificationType type) {
            return events.isEmpty() || events.contains(type.type());
        }
    }

    private List<Subscription> subscriptions(String domain) {
        return jdbc.query("select id, event_types, dead_letter_threshold from governance_webhook where domain_name = ?",
                (rs, i) -> new Subscription(rs.getString(1), types(rs.getString(2)), rs.getInt(3)), domain);
    }

    private static List<String> types(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
    }

    @Override
    public int record(String domain, NotificationType type, String subject, Object data) {
        List<String> targets = subscriptions(domain).stream().filter(s -> s.wants(type)).map(Subscription::id)
                .toList();
        if (targets.isEmpty()) {
            return 0;
        }
        String eventId = UUID.randomUUID().toString();
        String body = cloudEvent(eventId, type, subject, data);
        Timestamp now = Timestamp.from(clock.instant());
        for (String webhook : targets) {
            insert(webhook, eventId, type, body, now);
        }
        log.debug("Notification {} ({}) recorded for {} webhook(s) of {}", eventId, type.type(), targets.size(),
                domain);
        return targets.size();
    }

    private void insert(String webhook, String eventId, NotificationType type, String body, Timestamp now) {
        jdbc.update("insert into governance_webhook_outbox (id, webhook_id, event_id, event_type, body, created_at, "
                        + "state, attempts, next_attempt_at) values (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)",
                UUID.randomUUID().toString(), webhook, eventId, type.type(), body, now, now);
    }

    /** CloudEvents 1.0, structured JSON mode. */
    private String cloudEvent(String id, NotificationType type, String subject, Object data) {
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", properties.source());
        event.put("type", type.type());
        if (subject != null) {
            event.put("subject", subject);
        }
        event.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("datacontenttype", "application/json");
        event.set("data", JSON.valueToTree(data));
        String body = JSON.writeValueAsString(event);
        if (body.length() > MAX_BODY) {
            event.set("data", JSON.createObjectNode().put("truncated", "the event's data exceeded "
                    + MAX_BODY + " characters"));
            body = JSON.writeValueAsString(event);
        }
        return body;
    }

    @Override
    public int deadLettersLanded(String domain, String product, int major, long count, Instant at) {
        if (count <= 0) {
            return 0;
        }
        Timestamp window = Timestamp.from(at.truncatedTo(ChronoUnit.HOURS));
        int recorded = 0;
        for (Subscription s : subscriptions(domain)) {
            if (!s.wants(NotificationType.DEAD_LETTERS_OVER_THRESHOLD)) {
                continue;
            }
            // One landing job per product major writes at a time (its lease), so update-then-insert does not race.
            int updated = jdbc.update("update governance_webhook_dead_letters set dead_letters = dead_letters + ? "
                    + "where webhook_id = ? and domain_name = ? and product_name = ? and major = ? "
                    + "and window_start = ?", count, s.id(), domain, product, major, window);
            if (updated == 0) {
                jdbc.update("insert into governance_webhook_dead_letters (webhook_id, domain_name, product_name, "
                        + "major, window_start, dead_letters, notified) values (?, ?, ?, ?, ?, ?, false)",
                        s.id(), domain, product, major, window, count);
            }
            long total = jdbc.queryForObject("select dead_letters from governance_webhook_dead_letters "
                    + "where webhook_id = ? and domain_name = ? and product_name = ? and major = ? "
                    + "and window_start = ?", Long.class, s.id(), domain, product, major, window);
            if (total >= s.deadLetterThreshold() && jdbc.update("update governance_webhook_dead_letters "
                    + "set notified = true where webhook_id = ? and domain_name = ? and product_name = ? "
                    + "and major = ? and window_start = ? and notified = false", s.id(), domain, product, major,
                    window) == 1) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("domain", domain);
                data.put("product", product);
                data.put("major", major);
                data.put("deadLetters", total);
                data.put("threshold", s.deadLetterThreshold());
                data.put("windowStart", window.toInstant());
                data.put("windowEnd", window.toInstant().plus(Duration.ofHours(1)));
                String eventId = UUID.randomUUID().toString();
                insert(s.id(), eventId, NotificationType.DEAD_LETTERS_OVER_THRESHOLD, cloudEvent(eventId,
                        NotificationType.DEAD_LETTERS_OVER_THRESHOLD, domain + "/" + product + "/v" + major, data),
                        Timestamp.from(clock.instant()));
                recorded++;
            }
        }
        return recorded;
    }

    // ---- subscriptions ----

    @Override
    public WebhookView subscribe(String domain, WebhookSpec spec, MeshPrincipal by) {
        List<String> events = new ArrayList<>();
        for (String type : spec.events()) {
            if (NotificationType.of(type).isEmpty()) {
                throw new GovernanceException(GovernanceException.Reason.INVALID, "unknown-event-type",
                        "there is no event type " + type + "; the types are " + Arrays.stream(NotificationType.values())
                                .map(NotificationType::type).toList());
            }
            if (!events.contains(type)) {
                events.add(type);
            }
        }
        String secret = spec.secret() != null ? spec.secret() : generatedSecret();
        String id = UUID.randomUUID().toString();
        int threshold = spec.deadLetterThreshold() == null ? 1 : spec.deadLetterThreshold();
        Instant now = clock.instant();
        jdbc.update("insert into governance_webhook (id, domain_name, url, secret, event_types, dead_letter_threshold, "
                        + "description, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, domain,
                spec.url(), secret, String.join(",", events), threshold, spec.description(), by.name(),
                Timestamp.from(now));
        log.info("Webhook {} of {} subscribed to {} by {}", id, domain, events.isEmpty() ? "every event" : events,
                by.name());
        WebhookView created = webhook(domain, id);
        return new WebhookView(created.id(), created.domain(), created.url(), created.events(),
                created.deadLetterThreshold(), created.description(), created.createdBy(), created.createdAt(), 0, 0,
                secret);
    }

    private String generatedSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static final String VIEW_COLUMNS = "w.id, w.domain_name, w.url, w.event_types, w.dead_letter_threshold, "
            + "w.description, w.created_by, w.created_at, "
            + "(select count(*) from governance_webhook_outbox o where o.webhook_id = w.id and o.state = 'PENDING'), "
            + "(select count(*) from governance_webhook_outbox o where o.webhook_id = w.id and o.state = 'FAILED')";

    private static final RowMapper<WebhookView> VIEW = (rs, i) -> new WebhookView(rs.getString(1), rs.getString(2),
            rs.getString(3), types(rs.getString(4)), rs.getInt(5), rs.getString(6), rs.getString(7),
            rs.getTimestamp(8).toInstant(), rs.getLong(9), rs.getLong(10), null);

    @Override
    public List<WebhookView> webhooks(String domain) {
        return jdbc.query("select " + VIEW_COLUMNS + " from governance_webhook w where w.domain_name = ? "
                + "order by w.created_at, w.id", VIEW, domain);
    }

    @Override
    public WebhookView webhook(String domain, String id) {
        return jdbc.query("select " + VIEW_COLUMNS + " from governance_webhook w where w.domain_name = ? and w.id = ?",
                VIEW, domain, id).stream().findFirst().orElseThrow(() -> notFound(domain, id));
    }

    private static GovernanceException notFound(String domain, String id) {
        return new GovernanceException(GovernanceException.Reason.NOT_FOUND, "webhook-not-found",
                "domain " + domain + " has no webhook " + id);
    }

    @Override
    public void unsubscribe(String domain, String id, MeshPrincipal by) {
        transactions.executeWithoutResult(tx -> {
            if (jdbc.update("delete from governance_webhook where domain_name = ? and id = ?", domain, id) == 0) {
                throw notFound(domain, id);
            }
            jdbc.update("delete from governance_webhook_outbox where webhook_id = ?", id);
            jdbc.update("delete from governance_webhook_delivery where webhook_id = ?", id);
            jdbc.update("delete from governance_webhook_dead_letters where webhook_id = ?", id);
        });
        log.info("Webhook {} of {} deleted by {}", id, domain, by.name());
    }

    @Override
    public PageResult<WebhookDelivery> deliveries(String domain, String id, int page, int size) {
        webhook(domain, id);
        List<WebhookDelivery> items = jdbc.query("select event_id, event_type, attempt, at, outcome, status_code, "
                        + "error, duration_millis from governance_webhook_delivery where webhook_id = ? "
                        + "order by seq desc limit ? offset ?",
                (rs, i) -> new WebhookDelivery(rs.getString(1), rs.getString(2), rs.getInt(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), (Integer) rs.getObject(6, Integer.class),
                        rs.getString(7), rs.getLong(8)), id, size, (long) page * size);
        Long total = jdbc.queryForObject("select count(*) from governance_webhook_delivery where webhook_id = ?",
                Long.class, id);
        return new PageResult<>(items, page, size, total == null ? 0 : total);
    }

    /** A deleted domain's webhooks go with it: a new domain of that name subscribes again. */
    @org.springframework.context.event.EventListener
    public void onDomainDeleted(dev.meshplatform.registry.api.DomainDeleted event) {
        for (WebhookView webhook : webhooks(event.domain())) {
            unsubscribe(event.domain(), webhook.id(), new MeshPrincipal("platform", dev.meshplatform.registry.api.Role.PLATFORM_ADMIN, null));
        }
    }

    // ---- the outbox ----

    @Override
    public List<Entry> claim(String owner, int max, Set<String> busyWebhooks, Duration lease) {
        if (max <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        Timestamp nowTs = Timestamp.from(now);
        List<Entry> due = jdbc.query("select o.id, o.webhook_id, o.event_id, o.event_type, w.url, w.secret, o.body, "
                        + "o.attempts from governance_webhook_outbox o join governance_webhook w on w.id = o.webhook_id "
                        + "where o.state = 'PENDING' and o.next_attempt_at <= ? "
                        + "and (o.lease_until is null or o.lease_until < ?) "
                        // Each webhook's oldest pending notification only: in order per webhook, and a webhook
                        // with a backlog takes one candidate, not every one (its in-flight head is leased).
                        + "and o.created_at = (select min(p.created_at) from governance_webhook_outbox p "
                        + "where p.webhook_id = o.webhook_id and p.state = 'PENDING') "
                        + "order by o.next_attempt_at, o.created_at limit ?",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)), nowTs, nowTs,
                max + busyWebhooks.size() + 4);
        List<Entry> claimed = new ArrayList<>();
        Set<String> webhooks = new java.util.HashSet<>(busyWebhooks);
        for (Entry entry : due) {
            if (claimed.size() >= max || webhooks.contains(entry.webhookId())) {
                continue;
            }
            // The condition repeats the query's: of two instances, one updates the row, the other finds it taken.
            if (jdbc.update("update governance_webhook_outbox set lease_owner = ?, lease_until = ? where id = ? "
                            + "and state = 'PENDING' and (lease_until is null or lease_until < ?)", owner,
                    Timestamp.from(now.plus(lease)), entry.id(), nowTs) == 1) {
                claimed.add(entry);
                webhooks.add(entry.webhookId());
            }
        }
        return claimed;
    }

    @Override
    public void attempted(Entry entry, String owner, Attempt attempt) {
        int number = entry.attempts() + 1;
        Instant now = clock.instant();
        String outcome = attempt.delivered() ? "DELIVERED" : number >= properties.maxAttempts() ? "FAILED" : "RETRYING";
        String error = attempt.error() == null ? null
                : attempt.error().length() > 2000 ? attempt.error().substring(0, 2000) : attempt.error();
        transactions.executeWithoutResult(tx -> {
            int moved = switch (outcome) {
                case "RETRYING" -> jdbc.update("update governance_webhook_outbox set attempts = ?, "
                                + "next_attempt_at = ?, lease_owner = null, lease_until = null where id = ? "
                                + "and lease_owner = ? and state = 'PENDING'", number,
                        Timestamp.from(now.plus(properties.backoffAfter(number))), entry.id(), owner);
                default -> jdbc.update("update governance_webhook_outbox set attempts = ?, state = ?, "
                                + "finished_at = ?, lease_owner = null, lease_until = null where id = ? "
                                + "and lease_owner = ? and state = 'PENDING'", number, outcome, Timestamp.from(now),
                        entry.id(), owner);
            };
            if (moved == 1) {
                jdbc.update("insert into governance_webhook_delivery (webhook_id, event_id, event_type, attempt, at, "
                                + "outcome, status_code, error, duration_millis) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        entry.webhookId(), entry.eventId(), entry.eventType(), number, Timestamp.from(now), outcome,
                        attempt.statusCode(), error, attempt.durationMillis());
            }
        });
        if ("FAILED".equals(outcome)) {
            log.warn("Notification {} ({}) to webhook {} failed after {} attempts: {}", entry.eventId(),
                    entry.eventType(), entry.webhookId(), number, error);
        } else if ("RETRYING".equals(outcome)) {
            log.info("Notification {} ({}) to webhook {} failed (attempt {}); retrying in {}: {}", entry.eventId(),
                    entry.eventType(), entry.webhookId(), number, properties.backoffAfter(number), error);
        }
    }

    @Override
    public int purge(Instant before) {
        Timestamp cut = Timestamp.from(before);
        return jdbc.update("delete from governance_webhook_outbox where state in ('DELIVERED', 'FAILED') "
                + "and finished_at < ?", cut)
                + jdbc.update("delete from governance_webhook_delivery where at < ?", cut)
                + jdbc.update("delete from governance_webhook_dead_letters where window_start < ?", cut)
                + jdbc.update("delete from governance_grant_expiry_notice where noticed_at < ? and not exists "
                + "(select 1 from governance_grant g where g.id = grant_id and g.expires_at >= ?)", cut, cut);
    }

    @Override
    public String toString() {
        return "NotificationService";
    }
}
