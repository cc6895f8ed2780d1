package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

    @Test
    void aNonFiniteLossStopsTheStageAndKeepsTheLastGoodCheckpoint() throws Exception {
        List<String> saves = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        List<String> ends = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                seen.add(m.iteration());
            }

            @Override
            public void onStageEnd(Stage stage, StageOutcome outcome, String message) {
                ends.add(outcome + ": " + message);
            }
        };
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingLoop.Result r = TrainingLoop.run(Stage.FINETUNE, 0, 10, m, (batch, it) -> {
                float loss = it == 5 ? Float.NaN : 1f / it;
                TrainingLoop.checkFinite(loss);
                return TrainingLoop.StepResult.of(loss);
            }, new LrSchedule(0.01f, 0, 1f), 2, (done, complete) -> saves.add(done + (complete ? " complete" : "")),
                    new CancellationToken(), List.of(l));
            assertThat(r.outcome()).isEqualTo(StageOutcome.FAILED);
            assertThat(r.iterationsDone()).isEqualTo(4);
            assertThat(r.message()).contains("iteration 5").contains("NaN").contains("last good checkpoint");
        }
        assertThat(seen).containsExactly(1, 2, 3, 4);
        assertThat(saves).containsExactly("2", "4"); // nothing written after the NaN
        assertThat(ends).singleElement().asString().startsWith("FAILED");
    }

    @Test
    void cancellationStopsWithinOneIterationAndSavesWhereItStopped() throws Exception {
        CancellationToken cancel = new CancellationToken();
        List<String> saves = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingLoop.Result r = TrainingLoop.run(Stage.MM, 3, 100, m, (batch, it) -> {
                if (it == 6) {
                    cancel.cancel();
                }
                return TrainingLoop.StepResult.of(1.0);
            }, new LrSchedule(0.01f, 0, 1f), 0, (done, complete) -> saves.add(done + "/" + complete), cancel, List.of());
            assertThat(r.outcome()).isEqualTo(StageOutcome.CANCELLED);
            assertThat(r.iterationsDone()).isEqualTo(6);
        }
        assertThat(saves).containsExactly("6/false");
    }

    @Test
    void stepDecayFollowsTheSchedule() {
        LrSchedule s = new LrSchedule(0.01f, 100, 0.1f);
        assertThat(s.at(0)).isEqualTo(0.01f);
        assertThat(s.at(99)).isEqualTo(0.01f);
        assertThat((double) s.at(100)).isCloseTo(0.001, org.assertj.core.api.Assertions.within(1e-9));
        assertThat((double) s.at(250)).isCloseTo(0.0001, org.assertj.core.api.Assertions.within(1e-9));
    }
}
