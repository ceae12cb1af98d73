package io.sparserandom.cli;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;
import java.util.Locale;

/**
 * Netty's loggers when Netty logs warnings and errors only (without -v): trace, debug and info are
 * off without asking slf4j, which is set up on the first warning. Netty's classes ask their loggers
 * while they initialize, so with slf4j's loggers the warm-up thread set slf4j up first (10-15 ms)
 * and then loaded epoll's library; now it loads the library while the main thread sets slf4j up.
 */
final class NettyLogging extends InternalLoggerFactory {
    private static final String NETTY_LEVEL = "org.slf4j.simpleLogger.log.io.netty";

    private NettyLogging() {}

    /**
     * Installs these loggers for Netty if Netty's level (set by {@link Main}, or by the user) is
     * warn or above and no Netty logger has a level of its own; else Netty keeps slf4j's. Before
     * any Netty class is used.
     */
    static void install() {
        String level = System.getProperty(NETTY_LEVEL, "").toLowerCase(Locale.ROOT);
        if (!(level.equals("warn") || level.equals("error") || level.equals("off"))) {
            return;
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(NETTY_LEVEL + ".")) {
                return;
            }
        }
        InternalLoggerFactory.setDefaultFactory(new NettyLogging());
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new Quiet(name);
    }

    private static final class Quiet extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;

        private transient volatile InternalLogger slf4j;

        Quiet(String name) {
            super(name);
        }

        private InternalLogger slf4j() {
            InternalLogger l = slf4j;
            if (l == null) {
                l = ((Slf4JLoggerFactory) Slf4JLoggerFactory.INSTANCE).newInstance(name());
                slf4j = l;
            }
            return l;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public void trace(String msg) {}

        @Override
        public void trace(String format, Object arg) {}

        @Override
        public void trace(String format, Object a, Object b) {}

        @Override
        public void trace(String format, Object... args) {}

        @Override
        public void trace(String msg, Throwable t) {}

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public void debug(String msg) {}

        @Override
        public void debug(String format, Object arg) {}

        @Override
        public void debug(String format, Object a, Object b) {}

        @Override
        public void debug(String format, Object... args) {}

        @Override
        public void debug(String msg, Throwable t) {}

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public void info(String msg) {}

        @Override
        public void info(String format, Object arg) {}

        @Override
        public void info(String format, Object a, Object b) {}

        @Override
        public void info(String format, Object... args) {}

        @Override
        public void info(String msg, Throwable t) {}

        @Override
        public boolean isWarnEnabled() {
            return slf4j().isWarnEnabled();
        }

        @Override
        public void warn(String msg) {
            slf4j().warn(msg);
        }

        @Override
        public void warn(String format, Object arg) {
            slf4j().warn(format, arg);
        }

        @Override
        public void warn(String format, Object a, Object b) {
            slf4j().warn(format, a, b);
        }

        @Override
        public void warn(String format, Object... args) {
            slf4j().warn(format, args);
        }

        @Override
        public void warn(String msg, Throwable t) {
            slf4j().warn(msg, t);
        }

        @Override
        public boolean isErrorEnabled() {
            return slf4j().isErrorEnabled();
        }

        @Override
        public void error(String msg) {
            slf4j().error(msg);
        }

        @Override
        public void error(String format, Object arg) {
            slf4j().error(format, arg);
        }

        @Override
        public void error(String format, Object a, Object b) {
            slf4j().error(format, a, b);
        }

        @Override
        public void error(String format, Object... args) {
            slf4j().error(format, args);
        }

        @Override
        public void error(String msg, Throwable t) {
            slf4j().error(msg, t);
        }
    }
}
