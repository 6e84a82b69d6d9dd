package dev.meshplatform.app.notifications;

import dev.meshplatform.app.security.CurrentPrincipal;
import dev.meshplatform.app.web.PageResponse;
import dev.meshplatform.governance.api.GovernanceException;
import dev.meshplatform.governance.api.Notifications;
import dev.meshplatform.governance.api.WebhookDelivery;
import dev.meshplatform.governance.api.WebhookSpec;
import dev.meshplatform.governance.api.WebhookView;
import dev.meshplatform.registry.api.DomainCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** A domain's webhook subscriptions and their delivery logs: its owners' and the admins'. */
@RestController
@RequestMapping("/api/v1/domains/{domain}/webhooks")
@Tag(name = "Governance")
class WebhookController {

    private final Notifications notifications;
    private final WebhookAddresses addresses;
    private final DomainCatalog domains;

    WebhookController(Notifications notifications, WebhookAddresses addresses, DomainCatalog domains) {
        this.notifications = notifications;
        this.addresses = addresses;
        this.domains = domains;
    }

    @PostMapping
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "createWebhook", summary = "Subscribe a URL to the domain's notifications",
            description = "The platform POSTs each event as a CloudEvents 1.0 JSON document "
                    + "(application/cloudevents+json), signed: Mesh-Signature: t=<unix seconds>,v1=<hex "
                    + "HMAC-SHA256 of id.t.body with the secret>. events: the CloudEvents types wanted (all when "
                    + "empty). The secret is generated unless given, and shown in this answer only. URLs on "
                    + "loopback, private, link-local or the platform's own addresses are refused (400 "
                    + "webhook-address-refused) unless mesh.notifications.allowed-networks allows them; redirects "
                    + "are never followed. The domain's owners and admins.")
    @ApiResponse(responseCode = "201", description = "Subscribed; the answer holds the secret")
    ResponseEntity<WebhookView> create(@PathVariable String domain, @Valid @RequestBody WebhookSpec spec) {
        domains.get(domain);
        try {
            addresses.check(spec.url());
        } catch (WebhookAddresses.Refused e) {
            throw new GovernanceException(GovernanceException.Reason.INVALID, "webhook-address-refused",
                    e.getMessage());
        }
        WebhookView created = notifications.subscribe(domain, spec, CurrentPrincipal.get());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.id()).toUri()).body(created);
    }

    @GetMapping
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "listWebhooks", summary = "The domain's webhooks",
            description = "Each with the notifications pending and failed; never the secret. The domain's owners "
                    + "and admins.")
    PageResponse<WebhookView> list(@PathVariable String domain) {
        domains.get(domain);
        return PageResponse.all(notifications.webhooks(domain));
    }

    @GetMapping("/{webhookId}")
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "getWebhook", summary = "One webhook",
            description = "Its URL, event types, threshold and the notifications pending and failed; never the "
                    + "secret. The domain's owners and admins.")
    WebhookView get(@PathVariable String domain, @PathVariable String webhookId) {
        return notifications.webhook(domain, webhookId);
    }

    @DeleteMapping("/{webhookId}")
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "deleteWebhook", summary = "Unsubscribe",
            description = "Ends the subscription with its undelivered notifications and its delivery log. The "
                    + "domain's owners and admins.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    ResponseEntity<Void> delete(@PathVariable String domain, @PathVariable String webhookId) {
        notifications.unsubscribe(domain, webhookId, CurrentPrincipal.get());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{webhookId}/deliveries")
    @PreAuthorize("@authz.ownerOf(#domain)")
    @Operation(operationId = "listWebhookDeliveries", summary = "A webhook's delivery attempts, newest first",
            description = "Every attempt: the event, its number, the outcome (DELIVERED, RETRYING or FAILED), the "
                    + "endpoint's status code, the error and how long it took. The domain's owners and admins.")
    PageResponse<WebhookDelivery> deliveries(@PathVariable String domain, @PathVariable String webhookId,
                                             @RequestParam(defaultValue = "0") @Min(0) int page,
                                             @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return PageResponse.of(notifications.deliveries(domain, webhookId, page, size));
    }
}
