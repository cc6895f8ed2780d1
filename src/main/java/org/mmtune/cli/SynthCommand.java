package org.mmtune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmtune.data.synth.SyntheticDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mmtune synth}: the seeded generator of the bundled sample data. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic street-scene dataset (7 classes, dataset.json format).",
            "The defaults re-create the bundled sample-data/ byte for byte."})
public final class SynthCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (new or empty).")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + SyntheticDataset.DEFAULT_SEED,
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train", paramLabel = "N", defaultValue = "" + SyntheticDataset.DEFAULT_TRAIN,
            description = "Training images (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--val", paramLabel = "N", defaultValue = "" + SyntheticDataset.DEFAULT_VAL,
            description = "Validation images (default: ${DEFAULT-VALUE}).")
    int val;

    @Option(names = "--size", paramLabel = "WxH",
            defaultValue = SyntheticDataset.DEFAULT_WIDTH + "x" + SyntheticDataset.DEFAULT_HEIGHT,
            description = "Image size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--force", description = "Replace a dataset generated earlier in DIR.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String[] wh = size.toLowerCase().split("x");
        int w;
        int h;
        try {
            if (wh.length != 2) {
                throw new NumberFormatException();
            }
            w = Integer.parseInt(wh[0].strip());
            h = Integer.parseInt(wh[1].strip());
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--size: expected WIDTHxHEIGHT, e.g. 320x240, got '" + size + "'");
        }
        if (w < 32 || h < 32 || w > 4096 || h > 4096) {
            throw new ParameterException(spec.commandLine(), "--size: width and height must be 32-4096, got " + size);
        }
        if (train < 1 || val < 1 || train > 10_000 || val > 10_000) {
            throw new ParameterException(spec.commandLine(), "--train/--val: counts must be 1-10000");
        }
        long t0 = System.nanoTime();
        int files = SyntheticDataset.write(out, new SyntheticDataset.Spec(seed, train, val, w, h), force);
        spec.commandLine().getOut().printf("wrote %d files (%d train + %d val scenes, %dx%d, seed %d) to %s in %.1f s%n",
                files, train, val, w, h, seed, out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
