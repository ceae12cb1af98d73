package io.sparserandom.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    @Test
    void allAndNone() {
        assertEquals(
                new Capabilities(true, true, true, true, true, true, true, true, true),
                Capabilities.all());
        assertEquals(
                new Capabilities(false, false, false, false, false, false, false, false, false),
                Capabilities.none());
    }

    @Test
    void eachWitherChangesItsFeatureOnly() {
        Capabilities all = Capabilities.all();
        assertEquals(
                new Capabilities(false, true, true, true, true, true, true, true, true),
                all.withWritable(false));
        assertEquals(
                new Capabilities(true, false, true, true, true, true, true, true, true),
                all.withFlush(false));
        assertEquals(
                new Capabilities(true, true, false, true, true, true, true, true, true),
                all.withFua(false));
        assertEquals(
                new Capabilities(true, true, true, false, true, true, true, true, true),
                all.withTrim(false));
        assertEquals(
                new Capabilities(true, true, true, true, false, true, true, true, true),
                all.withZero(false));
        assertEquals(
                new Capabilities(true, true, true, true, true, false, true, true, true),
                all.withFastZero(false));
        assertEquals(
                new Capabilities(true, true, true, true, true, true, false, true, true),
                all.withCache(false));
        assertEquals(
                new Capabilities(true, true, true, true, true, true, true, false, true),
                all.withMultiConn(false));
        assertEquals(
                new Capabilities(true, true, true, true, true, true, true, true, false),
                all.withExtents(false));
    }

    @Test
    void theBuilderStartsFromNothingAndRoundTrips() {
        Capabilities c = Capabilities.builder().writable(true).extents(true).build();
        assertTrue(c.writable());
        assertTrue(c.extents());
        assertFalse(
                c.flush()
                        || c.fua()
                        || c.trim()
                        || c.zero()
                        || c.fastZero()
                        || c.cache()
                        || c.multiConn());
        assertEquals(c, c.toBuilder().build());
        assertEquals(
                Capabilities.all(),
                Capabilities.none().toBuilder()
                        .writable(true)
                        .flush(true)
                        .fua(true)
                        .trim(true)
                        .zero(true)
                        .fastZero(true)
                        .cache(true)
                        .multiConn(true)
                        .extents(true)
                        .build());
    }
}
