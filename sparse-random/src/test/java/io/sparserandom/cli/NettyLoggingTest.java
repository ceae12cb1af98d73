package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Netty's loggers without slf4j while Netty logs warnings and errors only; slf4j's own loggers
 * whenever Netty, or one of its loggers, is to say more.
 */
class NettyLoggingTest {
    private static final String LEVEL = "org.slf4j.simpleLogger.log.io.netty";

    private InternalLoggerFactory before;
    private Properties properties;

    @BeforeEach
    void save() {
        before = InternalLoggerFactory.getDefaultFactory();
        properties = (Properties) System.getProperties().clone();
    }

    @AfterEach
    void restore() {
        InternalLoggerFactory.setDefaultFactory(before);
        System.setProperties(properties);
    }

    @Test
    void atWarnNettyAsksNoSlf4jForWhatItDoesNotLog() {
        System.setProperty(LEVEL, "WARN");
        NettyLogging.install();
        InternalLogger l = InternalLoggerFactory.getInstance("io.netty.test.Quiet");
        assertTrue(InternalLoggerFactory.getDefaultFactory() instanceof NettyLogging);
        assertFalse(l.isTraceEnabled());
        assertFalse(l.isDebugEnabled());
        assertFalse(l.isInfoEnabled());
        // Warnings and errors go to slf4j (at its default level here, both on).
        assertTrue(l.isWarnEnabled());
        assertTrue(l.isErrorEnabled());
        l.debug("not logged {}", 1);
    }

    @Test
    void verboseNettyKeepsSlf4jsLoggers() {
        System.setProperty(LEVEL, "info");
        NettyLogging.install();
        assertSame(before, InternalLoggerFactory.getDefaultFactory());
    }

    @Test
    void aNettyLoggerWithALevelOfItsOwnKeepsSlf4jsLoggers() {
        System.setProperty(LEVEL, "warn");
        System.setProperty(LEVEL + ".util.internal.PlatformDependent0", "debug");
        NettyLogging.install();
        assertSame(before, InternalLoggerFactory.getDefaultFactory());
    }

    @Test
    void noLevelKeepsSlf4jsLoggers() {
        System.clearProperty(LEVEL);
        NettyLogging.install();
        assertSame(before, InternalLoggerFactory.getDefaultFactory());
    }
}
