/**
 * The domain registry's public contract: what other modules and the application may use.
 * Everything outside this package is internal to the registry.
 */
package dev.meshplatform.registry.api;
