package org.mmtune.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a test helper main in a child JVM that file permissions really stop. The tests run as root, whom
 * permissions do not stop; so as root the child is started through {@code setpriv} without the capabilities
 * that let root bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): there a mode-000 file really is
 * unreadable. As another user no prefix is needed. The test is skipped (assumption) when it runs as root and
 * {@code setpriv} is missing.
 */
public final class Unprivileged {

    /** The child's exit code and what it wrote on stdout and stderr. */
    public record Result(int code, String out, String err) {
    }

    private Unprivileged() {
    }

    /** Takes every permission away from {@code p} (mode 000). */
    public static void lock(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
    }

    /** The command prefix that drops root's permission bypass (empty when not root). */
    public static List<String> prefix() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            return List.of();
        }
        Path setpriv = Path.of("/usr/bin/setpriv");
        Assumptions.assumeTrue(Files.isExecutable(setpriv), "setpriv is needed to drop root's permission bypass");
        return List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search");
    }

    /**
     * Runs {@code mainClass} with this JVM's class path, the given JVM options and arguments, without the
     * permission bypass; stdout and stderr go to files in {@code dir} (no pipe to fill), the log folder is
     * {@code dir/logs}. Fails the test if the child does not end within {@code timeoutSeconds}.
     */
    public static Result java(Path dir, List<String> jvmOptions, String mainClass, List<String> args,
                              Map<String, String> env, int timeoutSeconds) throws Exception {
        List<String> cmd = new ArrayList<>(prefix());
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        Files.createDirectories(dir);
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("MMTUNE_LOG_DIR", dir.resolve("logs").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(mainClass + " did not end within " + timeoutSeconds + " s; stdout:\n"
                    + Files.readString(out, StandardCharsets.UTF_8) + "\nstderr:\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
