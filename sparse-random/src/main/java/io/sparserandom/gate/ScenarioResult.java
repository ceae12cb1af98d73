package io.sparserandom.gate;

/**
 * One scenario run: the judgement, the verdict it was drawn from (null when there was none), and
 * its wall time.
 */
public record ScenarioResult(
        Scenario scenario, Judgement judgement, VerdictFacts facts, double seconds) {

    public Outcome outcome() {
        return judgement.outcome();
    }

    public boolean passed() {
        return judgement.outcome().passed();
    }
}
