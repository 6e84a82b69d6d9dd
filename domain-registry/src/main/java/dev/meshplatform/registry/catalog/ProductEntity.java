package dev.meshplatform.registry.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "registry_product")
class ProductEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "domain_id", nullable = false, updatable = false)
    private DomainEntity domain;

    @Column(nullable = false, updatable = false)
    private String name;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** The worst SLO state over the served majors, kept by the SLO evaluator (not through this entity). */
    @Column(name = "health", insertable = false, updatable = false)
    private String health;

    @Column(name = "health_rank", insertable = false, updatable = false)
    private int healthRank;

    protected ProductEntity() {
    }

    ProductEntity(DomainEntity domain, String name, Instant now) {
        this.domain = domain;
        this.name = name;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void touch(Instant now) {
        this.updatedAt = now;
    }

    Long id() {
        return id;
    }

    DomainEntity domain() {
        return domain;
    }

    String name() {
        return name;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    dev.meshplatform.registry.api.SloState health() {
        return health == null ? null : dev.meshplatform.registry.api.SloState.valueOf(health);
    }
}
