package dev.meshplatform.governance.api;

import java.util.Arrays;
import java.util.Optional;

/** What a webhook can be told about; {@link #type()} is the CloudEvents {@code type} the subscriber sees. */
public enum NotificationType {
    SLO_STATE_CHANGED("dev.meshplatform.slo.state-changed"),
    RUN_FAILED("dev.meshplatform.run.failed"),
    DEAD_LETTERS_OVER_THRESHOLD("dev.meshplatform.dead-letters.over-threshold"),
    ACCESS_REQUEST_CREATED("dev.meshplatform.access-request.created"),
    ACCESS_REQUEST_DECIDED("dev.meshplatform.access-request.decided"),
    GRANT_EXPIRING("dev.meshplatform.grant.expiring"),
    UPSTREAM_DEPRECATED("dev.meshplatform.upstream.deprecated"),
    UPSTREAM_RETIRED("dev.meshplatform.upstream.retired"),
    UPSTREAM_NEW_MAJOR("dev.meshplatform.upstream.new-major");

    private final String type;

    NotificationType(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    public static Optional<NotificationType> of(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }
}
