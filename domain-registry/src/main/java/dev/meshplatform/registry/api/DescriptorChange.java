package dev.meshplatform.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One difference between two descriptors, at a JSON Pointer path.
 *
 * @param before the old value, absent when added
 * @param after  the new value, absent when removed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DescriptorChange(String path, Kind kind, Object before, Object after) {

    public enum Kind {
        ADDED, REMOVED, CHANGED
    }
}
