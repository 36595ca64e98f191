/**
 * The Mutual Query Network's own modules (../shared/design/MQN.md, Eq. 5–12), one class per module
 * of the paper, and the whole network as one SameDiff graph:
 * {@link org.mqn4j.fusion.LanguageQueryVision} (Eq. 5–6: Q_l, K_v, the response S, F_m),
 * {@link org.mqn4j.fusion.VisionQueryLanguage} (Eq. 7–9: Q_v, the attention A, K_m, F_f),
 * {@link org.mqn4j.fusion.EarlyFusion} (the ⊕ of Eq. 10: a tanh gate per channel, starting closed),
 * {@link org.mqn4j.fusion.Decoder} (Eq. 11: bilinear up, concatenation, two 3×3 conv + LayerNorm + ReLU
 * blocks, 1×1 classifier, up to the input size), {@link org.mqn4j.fusion.MqnConfig} (the YAML
 * {@code model:} section) and {@link org.mqn4j.fusion.MqnNetwork} (Swin + text encoder + fusion +
 * decoder + loss, with the graph contract the trainer uses).
 *
 * <p>Variable names (stage index i = 1..4 as in the paper): {@code fusion.{i}.lqv.lq} (ω_lq),
 * {@code fusion.{i}.lqv.vk} (ω_vk), {@code fusion.{i}.vql.vq} (ω_vq), {@code fusion.{i}.vql.mk} (ω_mk),
 * each {@code .weight} [out, in] and {@code .bias} [out] (a 1×1 convolution stored as a Linear,
 * torch's default initialisation); {@code fusion.{i}.gate} [C_i]; {@code decoder.{i}.conv1/conv2.weight}
 * [out, in, 3, 3], {@code decoder.{i}.norm1/norm2.{weight,bias}} for i = 3, 2, 1;
 * {@code decoder.classifier.{weight,bias}} [2, width], [2]. Outputs: {@code fusion.{i}.vql.attention}
 * [B,N_i,T], {@code fusion.{i}.vql.filter} / {@code fusion.{i}.lqv.matched} [B,H_i,W_i,C_i].
 *
 * <p>Torch reference: {@code tools/mqn_fixtures.py} implements the same equations in plain torch
 * (fixtures in {@code src/test/resources/fixtures/mqn}).
 */
package org.mqn4j.fusion;
