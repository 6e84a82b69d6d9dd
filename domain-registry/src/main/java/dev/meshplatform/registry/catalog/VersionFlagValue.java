package dev.meshplatform.registry.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.time.Instant;

/** One flag of a version, as stored beside it. */
@Embeddable
class VersionFlagValue {

    @Column(nullable = false)
    private String code;

    @Column(nullable = false)
    private String message;

    @Column(name = "flagged_at", nullable = false)
    private Instant flaggedAt;

    protected VersionFlagValue() {
    }

    VersionFlagValue(String code, String message, Instant flaggedAt) {
        this.code = code;
        this.message = message.length() > 4000 ? message.substring(0, 4000) : message;
        this.flaggedAt = flaggedAt;
    }

    String code() {
        return code;
    }

    String message() {
        return message;
    }

    Instant flaggedAt() {
        return flaggedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VersionFlagValue that && code.equals(that.code) && message.equals(that.message)
                && flaggedAt.equals(that.flaggedAt);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(code, message, flaggedAt);
    }
}
