package org.mmtune.experiment.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a run's {@code metrics.jsonl} while the run appends to it. Lines that are not metrics objects
 * are skipped and counted ({@link #skippedLines()}), never fatal.
 */
public final class MetricsTailer {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsTailer.class);


    private final LineTailer lines;
    private int skipped;

    public MetricsTailer(Path runDir) {
        this.lines = new LineTailer(RunFiles.metrics(runDir));
    }

    /** The metrics appended since the last poll. */
    public List<MetricPoint> poll() throws IOException {
        List<MetricPoint> out = new ArrayList<>();
        for (String line : lines.poll()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(MetricPoint.of(RunJson.MAPPER.readTree(line)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                skipped++;
                LOG.debug("{}: skipped a line that is not a metrics object: {}", lines.file(), e.getMessage());
            }
        }
        return out;
    }

    /** True if the last poll found the file rewritten from scratch (earlier points are void). */
    public boolean wasReset() {
        return lines.wasReset();
    }

    public int skippedLines() {
        return skipped;
    }

    /** Reads a whole metrics file once (for finished runs). */
    public static List<MetricPoint> readAll(Path runDir) throws IOException {
        return new MetricsTailer(runDir).poll();
    }
}
