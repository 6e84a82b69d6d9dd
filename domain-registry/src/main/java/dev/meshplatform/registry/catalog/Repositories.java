package dev.meshplatform.registry.catalog;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

interface DomainRepository extends JpaRepository<DomainEntity, Long> {

    Optional<DomainEntity> findByName(String name);

    boolean existsByName(String name);
}

interface ProductRepository extends JpaRepository<ProductEntity, Long> {

    @Query("select p from ProductEntity p join fetch p.domain d where d.name = :domain and p.name = :name")
    Optional<ProductEntity> findByDomainAndName(String domain, String name);

    @Query("select count(p) from ProductEntity p where p.domain.name = :domain")
    long countByDomain(String domain);

    @Query("select p from ProductEntity p where p.domain.name = :domain")
    List<ProductEntity> findAllByDomain(String domain);
}

interface ProductVersionRepository extends JpaRepository<ProductVersionEntity, Long> {

    List<ProductVersionEntity> findByProduct(ProductEntity product);

    Optional<ProductVersionEntity> findByProductAndVersion(ProductEntity product, String version);

    @Query("select distinct d.name, p.name, v.major from ProductVersionEntity v join v.product p join p.domain d "
            + "where v.status in :statuses order by d.name, p.name, v.major")
    List<Object[]> findMajorsWith(List<dev.meshplatform.registry.api.LifecycleStatus> statuses);

    @Query("select v from ProductVersionEntity v join fetch v.product p join fetch p.domain d "
            + "where v.status in :statuses")
    List<ProductVersionEntity> findAllWith(List<dev.meshplatform.registry.api.LifecycleStatus> statuses);
}
