package io.sparserandom.faults;

import io.netty.buffer.ByteBuf;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.DeviceException;
import io.sparserandom.device.ExpectedContent;
import io.sparserandom.device.ForwardingDevice;
import io.sparserandom.device.IoFlags;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A decorator that stops advertising capabilities, like nbdkit's noextents, nozero and multi-conn
 * filters. Only {@link #capabilities()} changes, plus {@link #extents}: with extents masked the
 * whole range is reported as data, so nothing below leaks the map. Commands are passed on as they
 * come: the server already answers an unadvertised command or flag as the spec says (EINVAL) before
 * calling the device.
 *
 * <p>The content is unchanged, so when the wrapped device offers {@link ExpectedContent} the
 * decorator does too (see {@link #wrap}).
 */
public class CapabilityMaskDevice extends ForwardingDevice {
    private final Set<MaskedFeature> masked;

    private CapabilityMaskDevice(BlockDevice next, Set<MaskedFeature> masked) {
        super(next);
        this.masked =
                masked.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(masked));
    }

    /**
     * Decorates {@code next}; the result implements {@link ExpectedContent} exactly when {@code
     * next} does.
     */
    public static CapabilityMaskDevice wrap(BlockDevice next, Set<MaskedFeature> masked) {
        return next instanceof ExpectedContent e
                ? new WithExpected(next, e, masked)
                : new CapabilityMaskDevice(next, masked);
    }

    public Set<MaskedFeature> masked() {
        return masked;
    }

    @Override
    public Capabilities capabilities() {
        Capabilities c = next.capabilities();
        for (MaskedFeature f : masked) {
            c = f.turnOff(c);
        }
        return c;
    }

    @Override
    public void extents(long offset, long length, ExtentSink sink) throws DeviceException {
        if (masked.contains(MaskedFeature.EXTENTS)) {
            sink.extent(length, IoFlags.EXTENT_DATA);
            return;
        }
        next.extents(offset, length, sink);
    }

    @Override
    public void readMap(long offset, long length, ExtentSink sink) throws DeviceException {
        if (masked.contains(MaskedFeature.EXTENTS)) {
            sink.extent(length, IoFlags.EXTENT_DATA);
            return;
        }
        next.readMap(offset, length, sink);
    }

    /** The variant for a wrapped device with a fast content check: passed through untouched. */
    private static final class WithExpected extends CapabilityMaskDevice
            implements ExpectedContent {
        private final ExpectedContent expected;

        WithExpected(BlockDevice next, ExpectedContent expected, Set<MaskedFeature> masked) {
            super(next, masked);
            this.expected = expected;
        }

        @Override
        public long mismatch(long offset, ByteBuf data) {
            return expected.mismatch(offset, data);
        }

        @Override
        public String describeExpected(long offset, int length) {
            return expected.describeExpected(offset, length);
        }
    }
}
