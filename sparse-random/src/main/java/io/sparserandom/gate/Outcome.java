package io.sparserandom.gate;

/** What happened to one scenario. Only {@link #PASS} and {@link #FAILED_LOUDLY} pass the gate. */
public enum Outcome {
    PASS("pass", true),
    /** A hostile scenario's tool exited non-zero: it noticed, so this is a pass. */
    FAILED_LOUDLY("failed-loudly", true),
    /** Exit 0 with data missing or rejected: the user would believe a wrong copy. The worst. */
    SILENT_LOSS("silent-loss", false),
    /** A benign scenario: the tool exited non-zero or left the copy incomplete. */
    BROKE("broke", false),
    /** Still running at --timeout; it and everything it started were killed. */
    HUNG("hung", false),
    /** With --require-durable: accepted writes were never made durable. */
    NOT_DURABLE("not-durable", false),
    /** The scenario could not be run (its server gave no verdict). */
    ERROR("error", false);

    private final String label;
    private final boolean passed;

    Outcome(String label, boolean passed) {
        this.label = label;
        this.passed = passed;
    }

    public String label() {
        return label;
    }

    public boolean passed() {
        return passed;
    }
}
