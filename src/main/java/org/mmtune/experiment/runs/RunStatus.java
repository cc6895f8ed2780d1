package org.mmtune.experiment.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's {@code status.json} as last written by the process that runs it.
 *
 * @param state     the state; {@link RunState#STALLED} when it says running but its process is gone
 * @param stage     proxy, mm, finetune or eval (may be null)
 * @param message   free text from the writer (may be null)
 * @param pid       the writing process, or -1 if not given
 * @param startedAt when the run started (may be null)
 * @param updatedAt when the file was last rewritten (may be null)
 */
public record RunStatus(RunState state, String stage, String message, long pid, Instant startedAt,
                        Instant updatedAt) {

    private static final Logger LOG = LoggerFactory.getLogger(RunStatus.class);


    /** Reads {@code <run>/status.json}; empty if it does not exist or cannot be parsed (logged at debug). */
    public static Optional<RunStatus> read(Path runDir) {
        Path file = RunFiles.status(runDir);
        try {
            JsonNode n = RunJson.MAPPER.readTree(Files.readString(file));
            RunState state = RunState.parse(RunJson.text(n, "state"));
            Double pid = RunJson.number(n, "pid");
            long p = pid == null ? -1 : pid.longValue();
            if (state == RunState.RUNNING && p > 0 && !processAlive(p)) {
                state = RunState.STALLED;
            }
            String stage = RunJson.text(n, "stage");
            String message = RunJson.text(n, "message");
            return Optional.of(new RunStatus(state, stage == null || stage.isBlank() ? null : stage,
                    message == null || message.isBlank() ? null : message, p,
                    RunJson.instant(n, "startedAt"), RunJson.instant(n, "updatedAt")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: unreadable status", file, e);
            return Optional.empty();
        }
    }

    /**
     * One line naming {@code <run>/status.json} if it exists but this process may not read it (which
     * {@link #read} cannot tell from a missing file); empty otherwise.
     */
    public static Optional<String> unreadable(Path runDir) {
        Path file = RunFiles.status(runDir);
        return Files.exists(file) && !Files.isReadable(file) ? Optional.of(file + ": permission denied")
                : Optional.empty();
    }

    private static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
