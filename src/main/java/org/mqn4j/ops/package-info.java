/**
 * The SameDiff ops that Deeplearning4j 1.0.0-M2.1 lacks or gets wrong, composed of existing ops so
 * that they have gradients and survive {@code sd.save}/{@code SameDiff.load} in any JVM (M2.1 has
 * no user-op API): {@link org.mqn4j.ops.Gelu} (exact, erf), {@link org.mqn4j.ops.LayerNorm}
 * (explicit eps), {@link org.mqn4j.ops.CyclicShift} (torch.roll), {@link org.mqn4j.ops.TrainableLookup}
 * (gather whose gradient reaches the table), {@link org.mqn4j.ops.Linear} (torch weight layout) and
 * {@link org.mqn4j.ops.Params} (named variables with PyTorch's initialisation).
 *
 * <p>M2.1 traps met while writing them: a reduction over axis −1 of a rank-3 input
 * ({@code x.mean(true, -1)}) returns wrong values, and output shapes of ops are unknown at build
 * time, so reductions here use positive axes on reshaped views; slicing a rank-5 array with a
 * point index has a failing gradient ({@code strided_slice_bp}).
 */
package org.mqn4j.ops;
