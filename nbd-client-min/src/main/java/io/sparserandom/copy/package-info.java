/**
 * The built-in copier: {@code new Copier(CopyOptions).run(plan -> ...)} returns a {@link
 * io.sparserandom.copy.CopyResult} or throws {@link io.sparserandom.copy.CopyException}. The engine
 * sees only {@link io.sparserandom.copy.CopyEndpoint}; {@link io.sparserandom.copy.NbdEndpoint} and
 * {@link io.sparserandom.copy.FileEndpoint} implement it.
 */
package io.sparserandom.copy;
