package dev.meshplatform.processing.api;

/** What one compaction of a table did. */
public record CompactionResult(String table, long rewrittenFiles, long addedFiles, long rewrittenBytes,
                               boolean skipped, String reason) {
}
