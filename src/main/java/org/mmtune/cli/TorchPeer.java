package org.mmtune.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch peer of {@code bench train} ({@code src/bench/python/peer_train.py --serve}) as a child process:
 * one PyTorch step on request, so that its steps interleave with mmtune's own and both see the same load. Only
 * when {@code /usr/bin/python3} (or {@code -Dmmtune.benchPython}) imports torch and the script is found
 * ({@code -Dmmtune.benchPeer}, else under the working directory; {@code off} = never); otherwise {@link #start} is empty and
 * {@code bench train} says nothing about it. The peer ends when its standard input closes, so it never
 * outlives mmtune.
 */
final class TorchPeer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TorchPeer.class);

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final String version;

    private TorchPeer(Process process, BufferedReader out, Writer in, String version) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.version = version;
    }

    static Optional<TorchPeer> start(int threads, int widthDivisor, int batch, int fcnBatch, int classes) {
        if ("off".equals(System.getProperty("mmtune.benchPeer"))) {
            return Optional.empty();
        }
        Path python = Path.of(System.getProperty("mmtune.benchPython", "/usr/bin/python3"));
        Path script = Path.of(System.getProperty("mmtune.benchPeer", "src/bench/python/peer_train.py"));
        if (!Files.isExecutable(python) || !Files.isRegularFile(script)) {
            LOG.debug("no PyTorch peer: {} or {} missing", python, script);
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), "--serve",
                "--threads", Integer.toString(threads), "--width-divisor", Integer.toString(widthDivisor),
                "--batch", Integer.toString(batch), "--fcn-batch", Integer.toString(fcnBatch),
                "--classes", Integer.toString(classes)));
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            p = pb.start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return r.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String ready = first.get(600, TimeUnit.SECONDS);
            if (ready == null || !ready.startsWith("ready")) {
                LOG.debug("PyTorch peer did not start: {}", ready);
                p.destroyForcibly();
                return Optional.empty();
            }
            String version = ready.substring("ready".length()).trim();
            return Optional.of(new TorchPeer(p, r,
                    new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), version));
        } catch (Exception e) {
            LOG.debug("PyTorch peer unavailable", e);
            if (p != null) {
                p.destroyForcibly();
            }
            return Optional.empty();
        }
    }

    /** e.g. {@code torch 1.13.0}. */
    String version() {
        return version;
    }

    /**
     * Wall-clock milliseconds of one peer step ({@code mm} or {@code fcn}); NaN when the peer failed. The peer's
     * process CPU milliseconds for it are then in {@link #lastCpuMs()} (NaN when it does not report them).
     */
    double step(String kind) {
        lastCpuMs = Double.NaN;
        try {
            in.write(kind + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                return Double.NaN;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length > 1) {
                lastCpuMs = Double.parseDouble(f[1]);
            }
            return Double.parseDouble(f[0]);
        } catch (IOException | NumberFormatException e) {
            LOG.debug("PyTorch peer step failed", e);
            return Double.NaN;
        }
    }

    private double lastCpuMs = Double.NaN;

    double lastCpuMs() {
        return lastCpuMs;
    }

    static String ratio(double mine, double peer) {
        return Double.isFinite(peer) && peer > 0 ? String.format(Locale.ROOT, "%.2f×", mine / peer) : "n/a";
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
