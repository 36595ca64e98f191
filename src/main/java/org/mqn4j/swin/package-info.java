/**
 * Swin Transformer (v1) as a SameDiff graph that matches torchvision 0.14 and loads its state_dict
 * by name. {@link org.mqn4j.swin.SwinTransformer} builds it part by part (stem, stages, patch
 * merging, per-stage norms, classifier); {@link org.mqn4j.swin.SwinConfig} holds the sizes
 * ({@code conf/swin_*.yaml}).
 *
 * <p>Variable names are torchvision's parameter names: {@code features.0.0.weight} (stem conv,
 * stored [C,3,4,4] and permuted in the graph), {@code features.0.2.*} (stem norm),
 * {@code features.(2i+1).j.{norm1,attn.qkv,attn.proj,attn.relative_position_bias_table,norm2,mlp.0,mlp.3}.*}
 * (block j of stage i), {@code features.(2i+2).{norm,reduction}.*} (patch merging after stage i),
 * {@code norm.*} and {@code head.*} (classifier); Linear weights are [out, in] as in torch.
 * {@code relative_position_index} is a constant computed in Java, not a variable, so that buffer of
 * a state_dict is unused. The optional per-stage norms for dense prediction are {@code norm0} …
 * {@code norm3} (LAVT's names).
 *
 * <p>Sizes that do not divide, as torchvision 0.14: inside each attention the map is padded with
 * zeros at the bottom and right to a multiple of the window; the shift (window/2 in odd blocks) is
 * set to 0 along a dimension whose padded size is not larger than the window; the attention mask
 * is computed over the padded map with torchvision's slices; the result is cropped back. Patch
 * merging pads an odd H or W with one zero row/column.
 */
package org.mqn4j.swin;
