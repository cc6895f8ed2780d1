package org.mmtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mmtune.experiment.ConfigException;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Stage;

/** What eval and predict need from a run folder: its config and its fine-tuned checkpoint. */
record RunInfo(Path dir, ExperimentConfig config, Path params) {

    static RunInfo open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such run folder");
        }
        ExperimentConfig cfg;
        try {
            cfg = ExperimentConfigs.read(RunFiles.config(dir));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Path params = Checkpoints.paramsFile(RunFiles.checkpoints(dir), Stage.FINETUNE);
        if (!Files.isRegularFile(params)) {
            throw new IllegalArgumentException(dir + ": no fine-tuned checkpoint (checkpoints/finetune.params)");
        }
        return new RunInfo(dir, cfg, params);
    }
}
