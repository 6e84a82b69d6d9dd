package dev.meshplatform.registry.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

@Entity
@Table(name = "registry_domain")
class DomainEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, updatable = false)
    private String name;

    @Column(nullable = false)
    private String title;

    private String description;

    @Column(name = "owner_team", nullable = false)
    private String ownerTeam;

    /** The contacts as a JSON array. */
    @Column(nullable = false)
    private String contacts;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    @Column(nullable = false)
    private long revision;

    protected DomainEntity() {
    }

    DomainEntity(String name, Instant now) {
        this.name = name;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void update(String title, String description, String ownerTeam, String contacts, Instant now) {
        this.title = title;
        this.description = description;
        this.ownerTeam = ownerTeam;
        this.contacts = contacts;
        this.updatedAt = now;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    String title() {
        return title;
    }

    String description() {
        return description;
    }

    String ownerTeam() {
        return ownerTeam;
    }

    String contacts() {
        return contacts;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    long revision() {
        return revision;
    }
}
