package org.mqn4j.fusion;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A stage's map as the auxiliary losses see it: {@code value} holds h×w cells of {@code dim} channels
 * ([B,h,w,dim], or LQV's response [B,h·w,T] with dim = T), cell (r, c) covering input pixels
 * [r·stride, (r+1)·stride) × [c·stride, (c+1)·stride) (Swin pads the image bottom and right, so the
 * last cells may reach past it).
 *
 * @param index stage number, 1..4 (names the loss's variables)
 */
public record FeatureMap(int index, SDVariable value, int h, int w, int dim, int stride) {
}
