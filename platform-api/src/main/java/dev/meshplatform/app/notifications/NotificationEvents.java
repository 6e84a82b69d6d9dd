package dev.meshplatform.app.notifications;

import dev.meshplatform.governance.api.AccessRequestCreated;
import dev.meshplatform.governance.api.AccessRequestDecided;
import dev.meshplatform.governance.api.AccessRequestView;
import dev.meshplatform.governance.api.GrantExpiring;
import dev.meshplatform.governance.api.GrantView;
import dev.meshplatform.governance.api.NotificationType;
import dev.meshplatform.governance.api.Notifications;
import dev.meshplatform.ingestion.api.DeadLettersLanded;
import dev.meshplatform.processing.api.RunFinished;
import dev.meshplatform.processing.api.RunState;
import dev.meshplatform.processing.api.RunView;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.SloStateChanged;
import dev.meshplatform.registry.api.VersionTransitioned;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the modules' events into notifications of the domains concerned. Each listener runs before the publisher's
 * transaction commits (every publisher publishes inside one, on the platform's database), so the outbox rows commit
 * with the change or not at all; a change outside a transaction writes its rows on its own.
 */
@Component
class NotificationEvents {

    private final Notifications notifications;
    private final ProductCatalog products;

    NotificationEvents(Notifications notifications, ProductCatalog products) {
        this.notifications = notifications;
        this.products = products;
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void accessRequested(AccessRequestCreated event) {
        AccessRequestView request = event.request();
        notifications.record(request.domain(), NotificationType.ACCESS_REQUEST_CREATED, subject(request), request);
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void accessDecided(AccessRequestDecided event) {
        AccessRequestView request = event.request();
        notifications.record(request.requesterDomain(), NotificationType.ACCESS_REQUEST_DECIDED, subject(request),
                request);
    }

    private static String subject(AccessRequestView request) {
        return request.domain() + "/" + request.product() + "/access-requests/" + request.id();
    }

    /** Both sides: the holder loses access, the owner sees who will. */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void grantExpiring(GrantExpiring event) {
        GrantView grant = event.grant();
        String subject = "grants/" + grant.id();
        notifications.record(grant.granteeDomain(), NotificationType.GRANT_EXPIRING, subject, grant);
        if (!grant.domain().equals(grant.granteeDomain())) {
            notifications.record(grant.domain(), NotificationType.GRANT_EXPIRING, subject, grant);
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void runFinished(RunFinished event) {
        RunView run = event.run();
        if (run.state() == RunState.FAILED) {
            notifications.record(run.domain(), NotificationType.RUN_FAILED,
                    run.domain() + "/" + run.product() + "/runs/" + run.id(), run);
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void deadLetters(DeadLettersLanded event) {
        notifications.deadLettersLanded(event.domain(), event.product(), event.major(), event.deadLetters(),
                event.at());
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void sloChanged(SloStateChanged event) {
        notifications.record(event.domain(), NotificationType.SLO_STATE_CHANGED,
                event.domain() + "/" + event.product() + "/v" + event.major(), event);
    }

    /**
     * An upstream product deprecated or retired (readers of that major are told) or published with a new major
     * (readers of its other majors are told): each domain whose released products declare it as an input port.
     */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void versionTransitioned(VersionTransitioned event) {
        ProductVersionView version = event.version();
        NotificationType type;
        boolean sameMajor;
        if (event.to() == LifecycleStatus.DEPRECATED) {
            type = NotificationType.UPSTREAM_DEPRECATED;
            sameMajor = true;
        } else if (event.to() == LifecycleStatus.RETIRED) {
            type = NotificationType.UPSTREAM_RETIRED;
            sameMajor = true;
        } else if (event.to() == LifecycleStatus.PUBLISHED && firstOfItsMajor(version)) {
            type = NotificationType.UPSTREAM_NEW_MAJOR;
            sameMajor = false;
        } else {
            return;
        }
        Map<String, List<Map<String, Object>>> readersByDomain = new LinkedHashMap<>();
        for (ProductVersionView reader : products.servedNewest()) {
            if (reader.domain().equals(version.domain()) && reader.product().equals(version.product())) {
                continue;
            }
            for (InputPort port : reader.descriptor().productInputs()) {
                if (version.domain().equals(port.domain()) && version.product().equals(port.product())
                        && port.majorVersion() != null && (port.majorVersion() == version.major()) == sameMajor) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("domain", reader.domain());
                    r.put("product", reader.product());
                    r.put("version", reader.version());
                    r.put("inputPort", port.name());
                    r.put("readsMajor", port.majorVersion());
                    readersByDomain.computeIfAbsent(reader.domain(), d -> new ArrayList<>()).add(r);
                }
            }
        }
        readersByDomain.forEach((domain, readers) -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("domain", version.domain());
            data.put("product", version.product());
            data.put("version", version.version());
            data.put("major", version.major());
            data.put("from", event.from());
            data.put("to", event.to());
            data.put("sunset", version.sunset());
            data.put("readers", readers);
            notifications.record(domain, type, version.domain() + "/" + version.product() + "/versions/"
                    + version.version(), data);
        });
    }

    private boolean firstOfItsMajor(ProductVersionView version) {
        return products.versions(version.domain(), version.product(), true).stream()
                .noneMatch(v -> v.major() == version.major() && !v.version().equals(version.version()));
    }
}
