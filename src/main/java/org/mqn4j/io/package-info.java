/**
 * Checkpoints on disk: {@link org.mqn4j.io.SafetensorsFile} reads the safetensors format
 * (memory-mapped, F32/F16/BF16/I64 and more), {@link org.mqn4j.io.SafetensorsWriter} writes it,
 * and {@link org.mqn4j.io.CheckpointLoader} assigns named tensors to a SameDiff graph's variables,
 * returning a {@link org.mqn4j.io.LoadReport} of what was loaded, missing, unused and renamed.
 * Model-specific name schemes live with their models (e.g. {@code org.mqn4j.swin.SwinCheckpoint}).
 */
package org.mqn4j.io;
