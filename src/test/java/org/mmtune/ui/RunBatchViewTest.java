package org.mmtune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SampleData;
import org.mmtune.data.SampleReader;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.mix.SizeMode;
import org.mmtune.train.PatchBatch;
import org.mmtune.ui.match.MatchResult;
import org.mmtune.ui.match.MatchView;
import org.mmtune.ui.mix.MixView;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Match view's "batch k of run R": the views take the run's dataset, training images, mm settings and
 * seed from its config.json and show the graph the run trained on at iteration k.
 */
@ExtendWith(ApplicationExtension.class)
class RunBatchViewTest extends WorkbenchFixture {

    @TempDir
    static Path dir;

    @Start
    void start(Stage stage) {
        show(stage, partOne());
        ctx.openDataset(SampleData.locate().orElseThrow());
    }

    @Test
    void showsTheBatchARunTrainedOn(FxRobot robot) throws Exception {
        ExperimentConfig c = new ExperimentConfig();
        c.dataset = SampleData.locate().orElseThrow().toString();
        c.seed = 5;
        c.maxTrainImages = 24;
        c.mm.imagesPerBatch = 8;
        c.mm.outSize = 96;
        c.mm.sizeMode = "relative";
        c.mm.minFraction = 0.15;
        c.mm.maxFraction = 0.45;
        Path run = dir.resolve("run-a");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), ExperimentConfigs.toJson(c));

        select(robot, "match");
        settle(ctx);
        MatchView match = (MatchView) wb.view("Match").orElseThrow();
        WaitForAsyncUtils.asyncFx(() -> match.viewModel().showRun(run, 2)).get();
        settle(ctx);
        WaitForAsyncUtils.waitFor(30, java.util.concurrent.TimeUnit.SECONDS, () ->
                robot.lookup("#match-batch-source").queryAs(Label.class).getText().contains("run run-a"));
        settle(ctx);
        assertThat(robot.lookup("#match-batch-source").queryAs(Label.class).getText())
                .startsWith("Showing batch 2 of run run-a");
        MixView mix = (MixView) wb.view("Mix").orElseThrow();
        assertThat(mix.viewModel().sizeModeProperty().get()).isEqualTo(SizeMode.RELATIVE);
        assertThat(mix.viewModel().seedProperty().get()).isEqualTo(5);

        // what the trainer's batch source gives at iteration 2
        var ds = org.mmtune.data.DatasetLoader.open(SampleData.locate().orElseThrow());
        List<Sample> train = new ArrayList<>();
        for (ImagePair p : ds.pairs("train").subList(0, 24)) {
            train.add(SampleReader.read(ds, p));
        }
        PatchBatch trained = new MixMatchSource(c.mm, ds, train, c.seed).next(2);
        MatchResult shown = match.viewModel().resultProperty().get();
        assertThat(shown.mix().batch().batchIndex()).isEqualTo(2);
        assertThat(shown.graph().labels()).containsExactly(trained.labels());
        assertThat(shown.graph().triplets()).isDeepEqualTo(trained.triplets());

        String shots = System.getProperty("mmtune.test.snapshots");
        if (shots != null) {
            javafx.scene.image.WritableImage img = WaitForAsyncUtils.asyncFx(() -> match.getScene().snapshot(null)).get();
            Files.createDirectories(Path.of(shots));
            javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(img, null), "png",
                    Path.of(shots, "match-run-batch.png").toFile());
        }
    }
}
