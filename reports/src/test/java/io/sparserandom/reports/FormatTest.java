package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void bytes() {
        assertEquals("0 B", Format.bytes(0));
        assertEquals("512 B", Format.bytes(512));
        assertEquals("1.00 KiB", Format.bytes(1024));
        assertEquals("1.50 KiB", Format.bytes(1536));
        assertEquals("1.50 GiB", Format.bytes(1.5 * (1L << 30)));
        assertEquals("100 MiB", Format.bytes(100L << 20));
        assertEquals("32.0 MiB", Format.bytes(32L << 20));
        assertEquals("4.00 TiB", Format.bytes(4L << 40));
    }

    @Test
    void rate() {
        assertEquals("2.31 GiB/s", Format.rate(2.31 * (1L << 30)));
        assertEquals("12.3 MiB/s", Format.rate(12.34 * (1L << 20)));
        assertEquals("n/a", Format.rate(Double.NaN));
    }

    @Test
    void seconds() {
        assertEquals("412 ms", Format.seconds(0.412));
        assertEquals("3.21 s", Format.seconds(3.2149));
        assertEquals("41.2 ms", Format.seconds(0.04123));
        assertEquals("1.00 s", Format.seconds(0.9996), "rounding carries into the next unit");
        assertEquals("10.0 s", Format.seconds(9.996));
        assertEquals("123 s", Format.seconds(123.4));
        assertEquals("5.00 µs", Format.seconds(5e-6));
        assertEquals("0 s", Format.seconds(0));
        assertEquals("1235 s", Format.seconds(1234.5));
    }

    @Test
    void significantFigures() {
        assertEquals("2.78", Format.sig3(2.7764));
        assertEquals("1230", Format.sig3(1234.5));
        assertEquals("0.0123", Format.sig3(0.012345));
        assertEquals("-4.56", Format.sig3(-4.5555));
        assertEquals("+12.3 %", Format.percent(12.34));
        assertEquals("-0.500 %", Format.percent(-0.5));
        assertEquals("1.00×", Format.ratio(1));
        assertEquals("∞", Format.ratio(Double.POSITIVE_INFINITY));
    }
}
