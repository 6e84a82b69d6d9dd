package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.SemanticVersion;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.OptimisticLock;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

/** A product version; the descriptor is stored whole as canonical JSON, searchable fields beside it. */
@Entity
@Table(name = "registry_product_version")
class ProductVersionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "product_id", nullable = false, updatable = false)
    private ProductEntity product;

    @Column(nullable = false, updatable = false)
    private String version;

    @Column(nullable = false, updatable = false)
    private int major;

    @Column(nullable = false, updatable = false)
    private int minor;

    @Column(nullable = false, updatable = false)
    private int patch;

    @Column(name = "pre_release", updatable = false)
    private String preRelease;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private LifecycleStatus status;

    @Column(nullable = false)
    private String descriptor;

    @Column(name = "descriptor_hash", nullable = false)
    private String descriptorHash;

    @Column(nullable = false)
    private String title;

    private String description;

    /** Tags as {@code ,a,b,} so that one tag is found with {@code like '%,a,%'}. */
    @Column(nullable = false)
    private String tags;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "status_changed_at", nullable = false)
    private Instant statusChangedAt;

    @Column(name = "sunset_at")
    private Instant sunsetAt;

    /** The column lineage of the version's transformation as JSON, from when the descriptor was applied. */
    @Column(name = "column_lineage")
    private String columnLineage;

    @Version
    @Column(nullable = false)
    private long revision;

    /** Server-side findings about the version; not part of the descriptor, so they change no revision (ETag). */
    @ElementCollection(fetch = FetchType.EAGER)
    // The flags of the versions one query returns come in batches, not in one query per version.
    @BatchSize(size = 100)
    @CollectionTable(name = "registry_version_flag", joinColumns = @JoinColumn(name = "version_id"))
    @OptimisticLock(excluded = true)
    private Set<VersionFlagValue> flags = new HashSet<>();

    protected ProductVersionEntity() {
    }

    ProductVersionEntity(ProductEntity product, SemanticVersion version, Instant now) {
        this.product = product;
        this.version = version.text();
        this.major = version.major();
        this.minor = version.minor();
        this.patch = version.patch();
        this.preRelease = version.preRelease();
        this.status = LifecycleStatus.DRAFT;
        this.createdAt = now;
        this.updatedAt = now;
        this.statusChangedAt = now;
    }

    void replaceDescriptor(String json, String hash, String title, String description, List<String> tags,
                           Instant now) {
        this.descriptor = json;
        this.descriptorHash = hash;
        this.title = title;
        this.description = description == null || description.length() <= 4000 ? description
                : description.substring(0, 4000);
        this.tags = encodeTags(tags);
        this.updatedAt = now;
    }

    void moveTo(LifecycleStatus target, Instant sunset, Instant now) {
        this.status = target;
        this.statusChangedAt = now;
        this.updatedAt = now;
        if (target == LifecycleStatus.DEPRECATED) {
            this.sunsetAt = sunset;
        }
    }

    String columnLineage() {
        return columnLineage;
    }

    void recordLineage(String json) {
        this.columnLineage = json;
    }

    Instant sunsetAt() {
        return sunsetAt;
    }

    static String encodeTags(List<String> tags) {
        return tags.isEmpty() ? "," : "," + String.join(",", tags) + ",";
    }

    Long id() {
        return id;
    }

    ProductEntity product() {
        return product;
    }

    String version() {
        return version;
    }

    SemanticVersion semanticVersion() {
        return SemanticVersion.parse(version);
    }

    int major() {
        return major;
    }

    LifecycleStatus status() {
        return status;
    }

    String descriptor() {
        return descriptor;
    }

    String descriptorHash() {
        return descriptorHash;
    }

    String title() {
        return title;
    }

    String description() {
        return description;
    }

    List<String> tags() {
        return decodeTags(tags);
    }

    /** The tags as {@link #encodeTags} stored them. */
    static List<String> decodeTags(String tags) {
        return tags.length() <= 1 ? List.of() : List.of(tags.substring(1, tags.length() - 1).split(","));
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    Instant statusChangedAt() {
        return statusChangedAt;
    }

    long revision() {
        return revision;
    }

    /** The flags, by code. */
    java.util.List<dev.meshplatform.registry.api.VersionFlag> flags() {
        return flags.stream().sorted(java.util.Comparator.comparing(VersionFlagValue::code))
                .map(f -> new dev.meshplatform.registry.api.VersionFlag(f.code(), f.message(), f.flaggedAt()))
                .toList();
    }

    /** Sets a flag; false when it was set with that message already. */
    boolean flag(String code, String message, Instant now) {
        VersionFlagValue current = flags.stream().filter(f -> f.code().equals(code)).findFirst().orElse(null);
        if (current != null && current.message().equals(message)) {
            return false;
        }
        flags.removeIf(f -> f.code().equals(code));
        flags.add(new VersionFlagValue(code, message, now));
        return true;
    }

    /** Clears a flag; false when it was not set. */
    boolean unflag(String code) {
        return flags.removeIf(f -> f.code().equals(code));
    }
}
