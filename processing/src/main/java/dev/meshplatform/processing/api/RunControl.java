package dev.meshplatform.processing.api;

/** How a run reports its phase and learns that it was cancelled. */
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
}
