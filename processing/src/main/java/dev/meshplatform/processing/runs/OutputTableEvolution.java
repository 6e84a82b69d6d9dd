package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.ProcessingException;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.VersionTransitioned;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * When a minor version of a product with a transformation is published, its output table takes the new contract at
 * once (new optional columns, widened types), so that every read path knows the new columns before the version's
 * first run: they read as null in the rows earlier versions wrote. It happens while holding the product's run slot;
 * when a run holds it, that run's successor evolves the table instead, under its own slot. A contract the table
 * cannot take refuses the transition (409 {@code incompatible-schema}). The slot is taken and given back in
 * transactions of their own: a refused insert must not poison the transition's transaction (PostgreSQL aborts a
 * transaction after any failed statement, and its commit then silently rolls the transition back).
 */
final class OutputTableEvolution {

    private static final Logger log = LoggerFactory.getLogger(OutputTableEvolution.class);

    private final Catalog catalog;
    private final RunStore slots;
    private final TransactionTemplate apart;

    public OutputTableEvolution(Catalog catalog, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.catalog = catalog;
        this.slots = new RunStore(jdbc);
        this.apart = new TransactionTemplate(transactions);
        this.apart.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @EventListener
    public void onTransition(VersionTransitioned event) {
        ProductVersionView version = event.version();
        if (event.to() != LifecycleStatus.PUBLISHED || version.descriptor().transformation() == null) {
            return;
        }
        TableIdentifier id = WriteAuditPublish.outputTable(version.domain(), version.product(), version.major());
        if (!catalog.tableExists(id)) {
            return;
        }
        String key = RunService.productKey(version.domain(), version.product(), version.major());
        String slot = RunStore.maintenanceSlot("evolve");
        if (!Boolean.TRUE.equals(apart.execute(status -> slots.lock(key, slot)))) {
            log.info("Output table {} takes {}'s contract at the product's next run (a run holds it now)", id,
                    version.version());
            return;
        }
        try {
            WriteAuditPublish.evolve(catalog.loadTable(id), WriteAuditPublish.outputSchema(version.descriptor()));
        } catch (WriteAuditPublish.IncompatibleSchemaException e) {
            throw new ProcessingException(ProcessingException.Reason.CONFLICT, "incompatible-schema",
                    e.getMessage());
        } finally {
            apart.executeWithoutResult(status -> slots.unlock(key, slot));
        }
    }
}
