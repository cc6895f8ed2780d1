package org.mmtune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mmtune.data.DatasetException;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.DatasetReport;
import org.mmtune.data.DatasetValidator;
import org.mmtune.data.SampleData;
import org.mmtune.data.SegmentationDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mmtune info}: what a dataset holds and what is wrong with it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Describe a dataset: format, classes, pairs per split, class pixel frequencies and the "
                + "problems found (missing, unreadable or mismatched files, label values outside the classes).",
            "Without DATASET, the bundled sample data."})
public final class InfoCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET",
            description = "Dataset folder (VOC, Cityscapes, ADE20K, CamVid or one with a dataset.json).")
    Path dataset;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "" + DatasetValidator.DEFAULT_SAMPLE,
            description = "Pairs decoded per split for frequencies and label checks; 0 = all (default: ${DEFAULT-VALUE}).")
    int sample;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws DatasetException {
        Path folder = dataset;
        if (folder == null) {
            folder = SampleData.locate().orElseThrow(() -> new DatasetException(
                    "no DATASET given and no sample-data folder found (run 'mmtune synth --out sample-data')"));
        }
        long t0 = System.nanoTime();
        SegmentationDataset ds = DatasetLoader.open(folder);
        DatasetReport report = DatasetValidator.validate(ds, sample);
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot write the report as JSON", e);
            }
        } else {
            printText(out, report, seconds);
        }
        out.flush();
        return 0;
    }

    static void printText(PrintWriter out, DatasetReport r, double seconds) {
        out.printf("dataset     %s%n", r.name());
        out.printf("folder      %s%n", r.root());
        out.printf("format      %s (labels: %s; %s)%n", r.format(), r.labelEncoding(), r.labelValues());
        out.printf("classes     %d, void = %d, background = %s%n", r.classes().size(), r.ignoreIndex(),
                r.backgroundIndex() < 0 ? "none" : r.backgroundIndex() + " (" + r.classes().get(r.backgroundIndex()).name() + ")");
        out.println();
        List<String> splits = List.copyOf(r.splits().keySet());
        out.printf("%-10s %7s %8s %8s %8s %10s %9s %11s%n", "split", "pairs", "decoded", "missing", "refused",
                "unreadable", "mismatch", "bad pixels");
        for (String s : splits) {
            DatasetReport.SplitReport sr = r.splits().get(s);
            out.printf("%-10s %7d %8s %8d %8d %10d %9d %11d%n", s, sr.images(),
                    sr.decoded() + (sr.sampled() ? "*" : ""), sr.missing(), sr.refused(), sr.unreadable(),
                    sr.sizeMismatches(), sr.outOfRangePixels());
        }
        if (r.splits().values().stream().anyMatch(DatasetReport.SplitReport::sampled)) {
            out.println("(* a sample spread evenly over the split; --sample 0 decodes all)");
        }
        out.println();
        out.println("class pixel frequencies (share of labelled pixels in the decoded pairs)");
        StringBuilder head = new StringBuilder(String.format("%3s %-16s %-8s", "#", "class", "colour"));
        for (String s : splits) {
            head.append(String.format(" %9s", s.length() > 9 ? s.substring(0, 9) : s));
        }
        out.println(head);
        for (DatasetReport.ClassEntry c : r.classes()) {
            StringBuilder line = new StringBuilder(String.format("%3d %-16s %-8s", c.index(),
                    c.name().length() > 16 ? c.name().substring(0, 16) : c.name(), c.color()));
            for (String s : splits) {
                List<DatasetReport.ClassFrequency> f = r.splits().get(s).classFrequencies();
                line.append(String.format(" %8.2f%%", 100 * f.get(c.index()).fraction()));
            }
            out.println(line);
        }
        int total = r.splits().values().stream().mapToInt(DatasetReport.SplitReport::problemCount).sum();
        out.println();
        if (total == 0) {
            out.println("problems    none");
        } else {
            out.printf("problems    %d%n", total);
            for (Map.Entry<String, DatasetReport.SplitReport> e : r.splits().entrySet()) {
                DatasetReport.SplitReport sr = e.getValue();
                for (String p : sr.problems()) {
                    out.printf("  %s: %s%n", e.getKey(), p);
                }
                if (sr.problemCount() > sr.problems().size()) {
                    out.printf("  %s: ... and %d more%n", e.getKey(), sr.problemCount() - sr.problems().size());
                }
            }
        }
        int decoded = r.splits().values().stream().mapToInt(DatasetReport.SplitReport::decoded).sum();
        out.printf("%nchecked in %.1f s (%d pairs decoded on %d cores)%n", seconds, decoded,
                Runtime.getRuntime().availableProcessors());
    }
}
