package org.mmtune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmtune.data.DatasetException;
import org.mmtune.mix.Mixer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mmtune mix}: sample one mixed batch of patches and describe it. */
@Command(name = "mix", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample one mixed batch of patches (the 'mix' step of M&M) from a dataset split and print "
                + "the patches per class with their mean size and label purity.",
            "Centres are drawn uniformly from foreground pixels (never void; background only for the background "
                + "quota), sides uniformly among even values in [min, max], candidates de-duplicated by overlap."})
public final class MixCommand implements Callable<Integer> {

    @Mixin
    MixOptions options;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the patches and statistics as JSON.")
    Path json;

    @Option(names = "--grid", paramLabel = "PNG", description = "Write a contact sheet of the patches, framed in their class colours.")
    Path grid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws DatasetException, IOException {
        MixRun run = MixRun.sample(options, grid != null ? Mixer.Crops.RGB : Mixer.Crops.NONE);
        PrintWriter out = spec.commandLine().getOut();
        run.printSummary(out);
        if (json != null) {
            MixRun.writeJson(json, run.json());
            out.printf("wrote %s%n", json);
        }
        if (grid != null) {
            run.writeGrid(grid);
            out.printf("wrote %s%n", grid);
        }
        out.flush();
        return 0;
    }
}
