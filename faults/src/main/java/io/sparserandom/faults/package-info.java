/**
 * Fault injection as {@link io.sparserandom.device.BlockDevice} decorators, the way nbdkit stacks
 * its error, noextents and multi-conn filters: {@link io.sparserandom.faults.FaultPlan} is the
 * parsed options, {@link io.sparserandom.faults.FaultInjection} stacks {@link
 * io.sparserandom.faults.CapabilityMaskDevice}, {@link io.sparserandom.faults.ErrorInjectingDevice}
 * and {@link io.sparserandom.faults.CorruptingReadDevice} outside the verifier, and {@link
 * io.sparserandom.faults.FaultCounters} keeps what they did for the verdict.
 *
 * <p>The contract every decorator keeps: a decision is a pure function of the fault seed and the
 * request (command, offset, length, and the attempt for {@code once} rules), never of arrival
 * order, timing or thread, so a rerun fails the same requests at any concurrency. The one exception
 * is a full retry memory, which is counted (see {@code RetryMemory}).
 */
package io.sparserandom.faults;
