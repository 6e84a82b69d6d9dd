/**
 * The ingestion module's public contract: topic provisioning, events over HTTP and landing jobs from Kafka into
 * Iceberg raw tables.
 */
package dev.meshplatform.ingestion.api;
