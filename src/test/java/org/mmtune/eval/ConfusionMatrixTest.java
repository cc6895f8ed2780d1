package org.mmtune.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmtune.data.ClassInfo;

class ConfusionMatrixTest {

    @Test
    void iouAndAccuracyMatchAHandComputedMatrix() {
        // 3 classes + void (255). truth / prediction, 10 pixels:
        byte[] truth = {0, 0, 0, 1, 1, 2, 2, 2, (byte) 255, (byte) 255};
        int[] pred = {0, 0, 1, 1, 2, 2, 2, 0, 1, 2};
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(truth, pred);
        // rows = truth: [2 1 0] [0 1 1] [1 0 2]; void pixels ignored
        assertThat(cm.counts()).isEqualTo(new long[][] {{2, 1, 0}, {0, 1, 1}, {1, 0, 2}});
        assertThat(cm.total()).isEqualTo(8);
        // IoU0 = 2/(2+1+1)=0.5, IoU1 = 1/(1+1+1)=1/3, IoU2 = 2/(2+1+1)=0.5
        assertThat(cm.iou(0)).isCloseTo(0.5, within(1e-12));
        assertThat(cm.iou(1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(cm.iou(2)).isCloseTo(0.5, within(1e-12));
        assertThat(cm.meanIoU()).isCloseTo((0.5 + 1.0 / 3 + 0.5) / 3, within(1e-12));
        assertThat(cm.pixelAccuracy()).isCloseTo(5.0 / 8, within(1e-12));
    }

    @Test
    void aClassAbsentFromTruthAndPredictionIsLeftOutOfTheMean() {
        ConfusionMatrix cm = ConfusionMatrix.of(new long[][] {{3, 1, 0}, {1, 3, 0}, {0, 0, 0}});
        assertThat(cm.iou(2)).isNaN();
        assertThat(cm.meanIoU()).isCloseTo(0.6, within(1e-12)); // (3/5 + 3/5) / 2
        EvalResult r = EvalResult.of(cm, List.of(new ClassInfo(0, "a", 0), new ClassInfo(1, "b", 0),
                new ClassInfo(2, "c", 0)), 1, "val");
        assertThat(r.perClass().get(2).iou()).isNull();
        assertThat(r.perClass().get(0).name()).isEqualTo("a");
        assertThat(r.mIoU()).isCloseTo(0.6, within(1e-12));
    }
}
