package dev.meshplatform.processing.api;

/** How a run reports its phase, learns that it was cancelled, and decides, once, that it publishes. */
public interface RunControl {

    RunControl NONE = new RunControl() {
        @Override
        public void phase(String phase, double progress) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    void phase(String phase, double progress);

    boolean cancelled();

    /** What stops the run at once when it is cancelled (its JVM); a later call replaces it. */
    default void onCancel(Runnable stop) {
    }

    /**
     * Asked once, right before the run's snapshot becomes main: true when the run may publish. From a true answer on
     * the run publishes and a cancel no longer stops it; a false answer means it was cancelled first.
     */
    default boolean beginPublish() {
        return !cancelled();
    }
}
