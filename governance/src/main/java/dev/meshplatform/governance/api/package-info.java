/**
 * The governance module's public contract: policies, publish gates, access grants and decisions, masking, audit.
 */
package dev.meshplatform.governance.api;
