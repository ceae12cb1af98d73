package io.sparserandom.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.gate.Scenario.Kind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScenarioTest {
    @Test
    void addKeepsTheColonsOfTheOptions() {
        Scenario s = Scenario.parseAdd("flaky=--error read,write:5%:EIO:once:hostile");
        assertEquals("flaky", s.name());
        assertEquals("--error read,write:5%:EIO:once", s.options());
        assertEquals(Kind.HOSTILE, s.kind());
        assertEquals(List.of("--error", "read,write:5%:EIO:once"), s.words());
    }

    @Test
    void addWithNoOptionsIsABaseline() {
        Scenario s = Scenario.parseAdd("plain=:Benign");
        assertEquals("", s.options());
        assertEquals(List.of(), s.words());
        assertEquals(Kind.BENIGN, s.kind());
    }

    @Test
    void addSplitsAsTheShellWould() {
        Scenario s = Scenario.parseAdd("q=--delay 'read:2ms'  --rate \"100M\" -e a\\ b:benign");
        assertEquals(List.of("--delay", "read:2ms", "--rate", "100M", "-e", "a b"), s.words());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "noequals:benign",
                "=--no-trim:benign",
                "x=--no-trim",
                "x=--no-trim:friendly",
                "bad name=--no-trim:benign",
                "x=--delay 'read:1ms:benign",
                "x=--delay \"read:1ms:benign",
                "x=--delay \\:benign"
            })
    void badAddIsOneClearLine(String text) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Scenario.parseAdd(text));
        assertTrue(e.getMessage().startsWith("--add: '"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void catalogueHasTheRequiredScenarios() {
        List<Scenario> all = Catalogue.builtIn();
        assertTrue(all.size() >= 14, "at least 14 scenarios");
        Set<String> names = new HashSet<>();
        for (Scenario s : all) {
            assertTrue(names.add(s.name()), "unique name " + s.name());
            assertTrue(!s.description().isBlank(), s.name());
        }
        for (String benign :
                List.of(
                        "baseline",
                        "latency",
                        "rate-limit",
                        "no-extents",
                        "no-multi-conn",
                        "no-zero",
                        "no-trim",
                        "max-block-64k",
                        "min-block-4k",
                        "tcp")) {
            assertEquals(Kind.BENIGN, kind(benign), benign);
        }
        for (String hostile :
                List.of(
                        "read-eio",
                        "read-eio-once",
                        "write-eio",
                        "zero-eio",
                        "flush-eio",
                        "write-enospc",
                        "disconnect",
                        "corrupt-reads")) {
            assertEquals(Kind.HOSTILE, kind(hostile), hostile);
        }
    }

    private static Kind kind(String name) {
        return Catalogue.resolve(List.of(), List.of(name)).get(0).kind();
    }

    @Test
    void resolveSelectsInTheOrderGivenAndIncludesAdded() {
        Scenario mine = Scenario.parseAdd("mine=--no-trim:benign");
        List<Scenario> all = Catalogue.resolve(List.of(mine), List.of());
        assertEquals(Catalogue.builtIn().size() + 1, all.size());
        assertEquals(mine, all.get(all.size() - 1));
        List<Scenario> some = Catalogue.resolve(List.of(mine), List.of("mine", "baseline"));
        assertEquals(List.of("mine", "baseline"), some.stream().map(Scenario::name).toList());
    }

    @Test
    void resolveRejectsUnknownDuplicateAndTakenNames() {
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Catalogue.resolve(List.of(), List.of("nope")))
                        .getMessage()
                        .contains("'nope' is not a scenario"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Catalogue.resolve(List.of(), List.of("tcp", "tcp")));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        Catalogue.resolve(
                                                List.of(Scenario.parseAdd("tcp=:benign")),
                                                List.of()))
                        .getMessage()
                        .contains("already exists"));
    }
}
