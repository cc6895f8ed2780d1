package org.mmtune.experiment.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run folders under a runs folder, one level deeper (an ablation's arms) and, in an ablation's
 * {@code s<seed>} folders, two levels deeper.
 */
public final class RunCatalog {

    private RunCatalog() {
    }

    /** Summaries of the runs under {@code runsDir}, newest first; empty if the folder does not exist. */
    public static List<RunSummary> list(Path runsDir) throws IOException {
        List<RunSummary> out = new ArrayList<>();
        if (!Files.isDirectory(runsDir)) {
            return out;
        }
        if (RunSummary.isRunFolder(runsDir)) {
            out.add(RunSummary.read(runsDir));
            return out;
        }
        try (Stream<Path> s = Files.list(runsDir)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                if (d.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (RunSummary.isRunFolder(d)) {
                    out.add(RunSummary.read(d));
                } else {
                    try (Stream<Path> inner = Files.list(d)) {
                        for (Path e : inner.filter(Files::isDirectory).toList()) {
                            if (RunSummary.isRunFolder(e)) {
                                out.add(RunSummary.read(e));
                            } else if (e.getFileName().toString().matches("s-?\\d+")) {
                                // an ablation over seeds: <ablation>/s<seed>/<arm>
                                try (Stream<Path> arms = Files.list(e)) {
                                    arms.filter(RunSummary::isRunFolder).map(RunSummary::read).forEach(out::add);
                                }
                            }
                        }
                    }
                }
            }
        }
        out.sort(Comparator.comparing(RunSummary::startedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    /** Deletes a run folder and everything in it; refuses while the run is still running. */
    public static void delete(Path runDir) throws IOException, RunFolderException {
        if (!RunSummary.isRunFolder(runDir)) {
            throw new RunFolderException(runDir + ": not a run folder, not deleted");
        }
        if (RunStatus.read(runDir).map(s -> s.state() == RunState.RUNNING).orElse(false)) {
            throw new RunFolderException(runDir + ": the run is still running; cancel it first");
        }
        try (Stream<Path> s = Files.walk(runDir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
