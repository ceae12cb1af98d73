package io.sparserandom.faults;

/**
 * The one source of randomness for fault decisions: a hash of the request, never of arrival order,
 * timing or thread.
 *
 * <pre>
 *   mix(z)  = SplitMix64's finalizer: z ^= z >>> 30; z *= 0xbf58476d1ce4e5b9;
 *                                     z ^= z >>> 27; z *= 0x94d049bb133111eb; z ^= z >>> 31
 *   h0      = mix(seed + G)
 *   h(i+1)  = mix((h(i) ^ x(i)) + G)          G = 0x9e3779b97f4a7c15 (the golden gamma)
 * </pre>
 *
 * over the inputs x = (salt, command code, offset, length, attempt). The finalizer is a bijection
 * with full avalanche, so the top bits of the result are close to uniform and independent for
 * inputs that differ in any bit; the salt keeps different rules (and the corruption decision)
 * independent of each other. Each step is a bijection of h for a fixed x, so distinct seeds never
 * collapse to one stream. Golden values in the tests pin the function: changing it changes which
 * requests fail for a given seed.
 */
final class FaultHash {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private FaultHash() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long step(long h, long x) {
        return mix((h ^ x) + GOLDEN_GAMMA);
    }

    /** Hash of a request; {@code attempt} is 0 for a first attempt. */
    static long request(
            long seed, long salt, FaultCommand command, long offset, long length, long attempt) {
        long h = mix(seed + GOLDEN_GAMMA);
        h = step(h, salt);
        h = step(h, command.code());
        h = step(h, offset);
        h = step(h, length);
        return step(h, attempt);
    }

    /** Identity of a request for the retry memory: the same (command, offset, length), any seed. */
    static long requestKey(FaultCommand command, long offset, long length) {
        long h = step(mix(command.code()), offset);
        return step(h, length);
    }

    /** Hash of one block for the corruption decision. */
    static long block(long seed, long salt, long blockOffset) {
        return step(step(mix(seed + GOLDEN_GAMMA), salt), blockOffset);
    }
}
