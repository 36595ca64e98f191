package org.mqn4j.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One epoch of a run, as written to {@code metrics.json}. Validation fields are null when the
 * epoch was not validated.
 *
 * @param epoch          1-based epoch number
 * @param complete       false when the time budget ended the epoch early
 * @param steps          optimisation steps in this epoch
 * @param trainLoss      mean training loss over the epoch's steps
 * @param learningRate   learning rate of the epoch's last step
 * @param seconds        training time of the epoch (without validation)
 * @param imagesPerSecond training images per second
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(@JsonProperty("epoch") int epoch,
                           @JsonProperty("complete") boolean complete,
                           @JsonProperty("steps") long steps,
                           @JsonProperty("train_loss") double trainLoss,
                           @JsonProperty("learning_rate") double learningRate,
                           @JsonProperty("seconds") double seconds,
                           @JsonProperty("images_per_second") double imagesPerSecond,
                           @JsonProperty("val_mIoU") Double valMeanIoU,
                           @JsonProperty("val_oIoU") Double valOverallIoU,
                           @JsonProperty("val_P@0.5") Double valPrecisionAt50,
                           @JsonProperty("val_P@0.7") Double valPrecisionAt70,
                           @JsonProperty("val_P@0.9") Double valPrecisionAt90) {
}
