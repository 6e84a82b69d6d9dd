package dev.meshplatform.governance.notify;

import dev.meshplatform.governance.api.Access;
import dev.meshplatform.governance.api.GrantExpiring;
import dev.meshplatform.governance.api.NotificationProperties;
import dev.meshplatform.registry.api.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Finds active grants that expire within {@code grant-expiry-notice} and publishes {@link GrantExpiring} once per
 * grant: the notice row and the event's outbox rows commit together, and the notice's primary key lets only one
 * instance announce a grant.
 */
final class GrantExpiryScan extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(GrantExpiryScan.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Access access;
    private final ApplicationEventPublisher events;
    private final NotificationProperties properties;
    private final Clock clock;

    GrantExpiryScan(TaskScheduler scheduler, JdbcTemplate jdbc, TransactionTemplate transactions, Access access,
                    ApplicationEventPublisher events, NotificationProperties properties, Clock clock) {
        super(scheduler, "The scan for grants about to expire");
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.access = access;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected Duration period() {
        return properties.grantExpiryScanInterval();
    }

    @Override
    protected Duration firstPassAfter() {
        return Duration.ofSeconds(5);
    }

    @Override
    protected void pass() {
        scan();
    }

    /** One scan; returns the grants announced. */
    int scan() {
        Instant now = clock.instant();
        List<String> expiring = jdbc.queryForList("select g.id from governance_grant g where g.revoked_at is null "
                        + "and g.expires_at > ? and g.expires_at <= ? and not exists (select 1 from "
                        + "governance_grant_expiry_notice n where n.grant_id = g.id) order by g.expires_at",
                String.class, Timestamp.from(now), Timestamp.from(now.plus(properties.grantExpiryNotice())));
        int announced = 0;
        for (String id : expiring) {
            try {
                transactions.executeWithoutResult(tx -> {
                    jdbc.update("insert into governance_grant_expiry_notice (grant_id, noticed_at) values (?, ?)", id,
                            Timestamp.from(now));
                    events.publishEvent(new GrantExpiring(access.grant(id)));
                });
                announced++;
                log.info("Grant {} expires within {}: its domains are told", id, properties.grantExpiryNotice());
            } catch (DataIntegrityViolationException anotherInstanceWasFirst) {
                // Its notice stands.
            }
        }
        return announced;
    }
}
