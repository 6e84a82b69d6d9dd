/**
 * The processing module's public contract: runs of product transformations on Spark and reading output ports.
 */
package dev.meshplatform.processing.api;
