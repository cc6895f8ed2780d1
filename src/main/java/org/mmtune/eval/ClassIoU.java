package org.mmtune.eval;

/** IoU of one class; {@code iou} is null when the class is absent from both ground truth and prediction. */
public record ClassIoU(int index, String name, Double iou) {
}
