package org.mmtune.experiment.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run folders under a runs folder, down to {@value #DEPTH} levels: an ablation puts its runs in
 * {@code <ablation>/s<seed>/<arm>/}, and a runs folder may hold several ablations. A nested run is named by
 * its path under the runs folder (e.g. {@code s2/proxy-mm}).
 */
public final class RunCatalog {

    /** How deep below the runs folder run folders are looked for. */
    static final int DEPTH = 3;

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
        collect(runsDir, runsDir, 1, out);
        out.sort(Comparator.comparing(RunSummary::startedAt, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(RunSummary::name));
        return out;
    }

    private static void collect(Path root, Path dir, int depth, List<RunSummary> out) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted()
                    .toList();
        }
        for (Path d : children) {
            if (RunSummary.isRunFolder(d)) {
                RunSummary r = RunSummary.read(d);
                out.add(depth == 1 ? r : r.named(root.relativize(d).toString().replace('\\', '/')));
            } else if (depth < DEPTH) {
                collect(root, d, depth + 1, out);
            }
        }
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
