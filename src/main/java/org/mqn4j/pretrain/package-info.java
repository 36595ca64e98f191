/**
 * Domain pretraining of the text encoder (MQN.md §8): a corpus of product titles
 * ({@link org.mqn4j.pretrain.TitleCorpus}, {@link org.mqn4j.pretrain.SyntheticTitleCorpus}), whole-word
 * masking over a dictionary segmenter ({@link org.mqn4j.pretrain.WordSegmenter},
 * {@link org.mqn4j.pretrain.WholeWordMasker}), the pretraining graph (the MQN's
 * {@link org.mqn4j.text.TextEncoder} with a masked-LM head, attribute-value heads and a category head,
 * {@link org.mqn4j.pretrain.PretrainNetwork}) and its training loop ({@link org.mqn4j.pretrain.TextPretrainer}).
 * Sits on the floor of {@code train}: it reuses the trainer's AdamW step and the MQN configuration.
 */
package org.mqn4j.pretrain;
