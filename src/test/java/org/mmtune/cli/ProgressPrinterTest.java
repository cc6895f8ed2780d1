package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mmtune.train.IterationMetrics;
import org.mmtune.train.Stage;
import org.mmtune.train.StageOutcome;
import picocli.CommandLine;

/** The shared progress printer, driven by synthetic training events and a fake clock (no network). */
class ProgressPrinterTest {

    private static final Pattern LINE = Pattern.compile(
            "train (\\w+) (\\d+)/(\\d+) (\\d+)% loss (\\d+\\.\\d{4})(?: viol (\\d\\.\\d{2}))?(?: val mIoU (\\d\\.\\d{3}))?"
                    + " elapsed (\\d\\d:\\d\\d(?::\\d\\d)?) ETA (\\d\\d:\\d\\d(?::\\d\\d)?|--:--)");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final long[] now = {1_000_000_000L};

    @AfterEach
    void resetCliMode() {
        ProgressPrinter.cliMode(null);
    }

    private ProgressPrinter printer(ProgressMode mode) {
        return new ProgressPrinter(out, "train", mode, () -> now[0]);
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static IterationMetrics mm(int i, int total) {
        return new IterationMetrics(Stage.MM, i, total, 2.1 - i * 1e-4, 0.01, 0, 0, Map.of("violatedFraction", 0.5));
    }

    /** Runs {@code total} M&M iterations, {@code millisEach} apart on the fake clock. */
    private void runMm(ProgressPrinter p, int total, long millisEach) {
        p.onStageStart(Stage.MM, 0, total);
        for (int i = 1; i <= total; i++) {
            now[0] += millisEach * 1_000_000L;
            p.onIteration(mm(i, total));
        }
        p.onStageEnd(Stage.MM, StageOutcome.FINISHED, null);
    }

    @Test
    void linesModeWritesFewSelfContainedLinesWithoutCarriageReturns() {
        ProgressPrinter p = printer(ProgressMode.LINES);
        runMm(p, 10_000, 5); // 50 s in all
        String t = text();
        assertThat(t).doesNotContain("\r").endsWith("\n");
        List<String> lines = t.lines().toList();
        // first, every 10%, at most one per 30 s, and the last
        assertThat(lines).hasSizeBetween(11, 14);
        assertThat(lines.get(0)).startsWith("train mm 1/10000 0% loss 2.0999 viol 0.50 elapsed 00:00 ETA ");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("train mm 10000/10000 100% loss 1.1000 viol 0.50 elapsed 00:50 ETA --:--");
        int last = 0;
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            assertThat(m.matches()).as(l).isTrue();
            assertThat(m.group(1)).isEqualTo("mm");
            int i = Integer.parseInt(m.group(2));
            assertThat(i).isGreaterThan(last);
            assertThat(Integer.parseInt(m.group(3))).isEqualTo(10_000);
            assertThat(Integer.parseInt(m.group(4))).isEqualTo(Math.round(i * 100f / 10_000));
            last = i;
        }
        // the 10% line: 1000 of 10000 done after 5 s, so 45 s to go
        assertThat(lines).contains("train mm 1000/10000 10% loss 2.0000 viol 0.50 elapsed 00:05 ETA 00:45");
    }

    @Test
    void linesModeAlsoPrintsEveryThirtySecondsOnSlowStages() {
        ProgressPrinter p = printer(ProgressMode.LINES);
        runMm(p, 200, 3_000); // 10 minutes, 3 s per iteration
        List<String> lines = text().lines().toList();
        assertThat(lines).hasSizeBetween(20, 22);
        List<Integer> seconds = new ArrayList<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            assertThat(m.matches()).as(l).isTrue();
            String[] mmss = m.group(8).split(":");
            seconds.add(Integer.parseInt(mmss[0]) * 60 + Integer.parseInt(mmss[1]));
        }
        for (int k = 1; k < seconds.size(); k++) {
            assertThat(seconds.get(k) - seconds.get(k - 1)).isBetween(3, 30);
        }
        assertThat(lines.get(lines.size() - 1)).startsWith("train mm 200/200 100% ");
    }

    @Test
    void linesModeMarksStageChangesEvaluationPointsAndTheLastStateOfACancelledStage() {
        ProgressPrinter p = printer(ProgressMode.LINES);
        runMm(p, 50, 10);
        p.onStageStart(Stage.FINETUNE, 0, 1000);
        for (int i = 1; i <= 437; i++) {
            now[0] += 10_000_000L;
            Map<String, Double> extras = i == 250 ? Map.of("valMIoU", 0.4321) : Map.of();
            p.onIteration(new IterationMetrics(Stage.FINETUNE, i, 1000, 1.5, 0.01, 0, 0, extras));
        }
        p.onStageEnd(Stage.FINETUNE, StageOutcome.CANCELLED, "cancelled at iteration 437");
        List<String> lines = text().lines().toList();
        assertThat(lines).contains("train mm 50/50 100% loss 2.0950 viol 0.50 elapsed 00:01 ETA --:--");
        assertThat(lines).anyMatch(l -> l.startsWith("train finetune 1/1000 0% loss 1.5000 elapsed 00:00 ETA "));
        assertThat(lines).anyMatch(l -> l.startsWith("train finetune 250/1000 25% loss 1.5000 val mIoU 0.432 elapsed"));
        assertThat(lines.get(lines.size() - 2)).startsWith("train finetune 437/1000 44% loss 1.5000 elapsed 00:04 ETA ");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("cancelled at iteration 437");
        assertThat(text()).doesNotContain("\r");
    }

    @Test
    void updatesOfOwnWorkUseTheSameLines() {
        ProgressPrinter p = new ProgressPrinter(out, "bench", ProgressMode.LINES, () -> now[0]);
        for (int i = 1; i <= 20; i++) {
            now[0] += 100_000_000L;
            p.update("mm-step", i, 20, "312 ms");
        }
        for (int i = 1; i <= 3; i++) {
            p.update("fcn-step", i, 3, "95 ms");
        }
        p.finish();
        List<String> lines = text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("bench mm-step 1/20 5% 312 ms elapsed 00:00 ETA --:--");
        assertThat(lines).contains("bench mm-step 2/20 10% 312 ms elapsed 00:00 ETA 00:02",
                "bench mm-step 20/20 100% 312 ms elapsed 00:02 ETA --:--",
                "bench fcn-step 1/3 33% 95 ms elapsed 00:00 ETA --:--",
                "bench fcn-step 3/3 100% 95 ms elapsed 00:00 ETA --:--");
        assertThat(lines).hasSizeLessThanOrEqualTo(14);
    }

    @Test
    void barModeRedrawsOneLineAndEndsItWithANewline() {
        ProgressPrinter p = printer(ProgressMode.BAR);
        runMm(p, 10_000, 1); // 10 s: at most 5 redraws a second
        String t = text();
        assertThat(t).startsWith("\rtrain mm       [").endsWith("\n");
        assertThat(t.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        String[] frames = t.substring(1).split("\r");
        assertThat(frames.length).isBetween(45, 52);
        assertThat(frames[frames.length - 1]).isEqualTo(
                "train mm       [############################] 100% 10000/10000 loss 1.1000 viol 0.50 ETA --:--   \n");
        assertThat(Arrays.stream(frames).filter(f -> f.contains("]  50% ")).findFirst()).hasValueSatisfying(
                f -> assertThat(f).contains("[##############..............]").matches(".*ETA 00:0[456]   "));
    }

    @Test
    void barModeEndsAnUnfinishedBarBeforeTheStageMessage() {
        ProgressPrinter p = printer(ProgressMode.BAR);
        p.onStageStart(Stage.MM, 0, 100);
        p.onIteration(mm(1, 100));
        p.onStageEnd(Stage.MM, StageOutcome.FAILED, "mm: loss is NaN");
        assertThat(text()).startsWith("\rtrain mm ").endsWith("   \nmm: loss is NaN\n");
    }

    @Test
    void noneModePrintsOnlyWhyAStageStopped() {
        ProgressPrinter p = printer(ProgressMode.NONE);
        runMm(p, 1000, 10);
        p.update("predict", 1, 2, "");
        p.finish();
        assertThat(text()).isEmpty();
        p.onStageStart(Stage.PROXY, 0, 10);
        p.onIteration(new IterationMetrics(Stage.PROXY, 1, 10, 1, 0.01, 0, 0, Map.of()));
        p.onStageEnd(Stage.PROXY, StageOutcome.CANCELLED, "cancelled");
        assertThat(text()).isEqualTo("cancelled\n");
    }

    @Test
    void evaluationProgressCountsImages() {
        ProgressPrinter p = new ProgressPrinter(out, "eval", ProgressMode.LINES, () -> now[0]);
        for (int i = 1; i <= 4; i++) {
            now[0] += 2_000_000_000L;
            p.onProgress(Stage.EVAL, i, 4);
        }
        assertThat(text().lines().toList()).containsExactly("eval eval 1/4 25% images elapsed 00:00 ETA --:--",
                "eval eval 2/4 50% images elapsed 00:02 ETA 00:04", "eval eval 3/4 75% images elapsed 00:04 ETA 00:02",
                "eval eval 4/4 100% images elapsed 00:06 ETA --:--");
    }

    @Test
    void theGlobalOptionPicksTheMode() {
        CommandLine cl = MmtuneCli.commandLine();
        cl.parseArgs("--progress=lines", "train", "--preset", "quick");
        assertThat(ProgressPrinter.cliMode()).isEqualTo(ProgressMode.LINES);
        assertThat(ProgressPrinter.forCli(out, "x").mode()).isEqualTo(ProgressMode.LINES);
        MmtuneCli.commandLine().parseArgs("bench", "memory", "--progress", "NONE");
        assertThat(ProgressPrinter.cliMode()).isEqualTo(ProgressMode.NONE);
        MmtuneCli.commandLine().parseArgs("predict", "--progress=bar", "--run", "r", "--out", "o", "a.png");
        assertThat(ProgressPrinter.forCli(out, "x").mode()).isEqualTo(ProgressMode.BAR);
        // without the option: MMTUNE_PROGRESS, else auto (decided by stderr)
        MmtuneCli.commandLine().parseArgs("eval", "--run", "r");
        assertThat(ProgressPrinter.cliMode()).isEqualTo(ProgressMode.fromEnvironment());
        assertThat(ProgressPrinter.forCli(out, "x").mode()).isIn(ProgressMode.BAR, ProgressMode.LINES, ProgressMode.NONE);
        assertThatThrownBy(() -> MmtuneCli.commandLine().parseArgs("--progress=fancy", "train"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("fancy");
    }

    @Test
    void helpNamesTheOptionOnEveryCommand() {
        for (String[] cmd : List.of(new String[] {}, new String[] {"train"}, new String[] {"bench", "memory"})) {
            CommandLine sub = MmtuneCli.commandLine();
            for (String c : cmd) {
                sub = sub.getSubcommands().get(c);
            }
            String help = sub.getUsageMessage();
            assertThat(help).contains("--progress=MODE").contains("MMTUNE_PROGRESS").contains("lines");
        }
    }

    @Test
    void autoIsABarOnlyOnATerminal() {
        assertThat(ProgressMode.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(ProgressMode.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(ProgressMode.isTerminalDevice("/work/run.log")).isFalse();
        assertThat(ProgressMode.isTerminalDevice("pipe:[123456]")).isFalse();
        assertThat(ProgressMode.isTerminalDevice("/dev/null")).isFalse();
        assertThat(ProgressMode.AUTO.resolve()).isEqualTo(ProgressMode.stderrIsTerminal() ? ProgressMode.BAR : ProgressMode.LINES);
        assertThat(ProgressMode.LINES.resolve()).isEqualTo(ProgressMode.LINES);
        assertThat(ProgressMode.NONE.resolve()).isEqualTo(ProgressMode.NONE);
    }
}
