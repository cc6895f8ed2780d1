package org.mmtune.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.mmtune.data.ClassInfo;

/** The metrics of one evaluation ({@code results.json}); all values are fractions in [0, 1]. */
public record EvalResult(@JsonProperty("mIoU") double mIoU,
                         @JsonProperty("pixelAccuracy") double pixelAccuracy,
                         @JsonProperty("perClass") List<ClassIoU> perClass,
                         @JsonProperty("confusion") long[][] confusion,
                         @JsonProperty("images") int images,
                         @JsonProperty("split") String split) {

    public static EvalResult of(ConfusionMatrix cm, List<ClassInfo> classes, int images, String split) {
        List<ClassIoU> per = new ArrayList<>();
        for (int c = 0; c < cm.numClasses(); c++) {
            double v = cm.iou(c);
            String name = c < classes.size() ? classes.get(c).name() : "class " + c;
            per.add(new ClassIoU(c, name, Double.isNaN(v) ? null : v));
        }
        return new EvalResult(cm.meanIoU(), cm.pixelAccuracy(), per, cm.counts(), images, split);
    }
}
