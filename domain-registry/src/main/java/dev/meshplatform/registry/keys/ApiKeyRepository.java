package dev.meshplatform.registry.keys;

import dev.meshplatform.registry.api.Role;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

import java.time.Instant;
import java.util.Optional;

interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, Long> {

    Optional<ApiKeyEntity> findByKeyId(String keyId);

    Page<ApiKeyEntity> findAllByOrderByCreatedAtAscIdAsc(Pageable pageable);

    Page<ApiKeyEntity> findByDomainOrderByCreatedAtAscIdAsc(String domain, Pageable pageable);

    @Query("select count(k) > 0 from ApiKeyEntity k where k.role = :role and k.revokedAt is null "
            + "and (k.expiresAt is null or k.expiresAt > :now)")
    boolean existsActive(Role role, Instant now);

    @Modifying
    @Query("update ApiKeyEntity k set k.revokedAt = :now where k.domain = :domain and k.revokedAt is null")
    int revokeAllOfDomain(String domain, Instant now);
}
