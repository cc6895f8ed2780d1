package org.mmtune.util;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the operating-system priority of background threads, so that on a machine with few cores the
 * threads a user is waiting on (the FX thread, the renderer) get a core first. Java's thread priorities
 * are ignored by Linux for unprivileged processes; a thread may however raise its own niceness there
 * ({@code setpriority} on its thread id), which is what this does. Elsewhere it does nothing.
 */
public final class Nice {

    private static final Logger LOG = LoggerFactory.getLogger(Nice.class);

    /** Niceness of background work: the scheduler then gives a busy core's time ~9:1 to normal threads. */
    public static final int BACKGROUND = 10;

    private static final int PRIO_PROCESS = 0;

    private interface CLib extends Library {
        int setpriority(int which, int who, int prio);

        long syscall(long number);
    }

    private static final CLib C = load();
    /** The gettid system call's number on this machine, or -1 where not known. */
    private static final long SYS_GETTID = Platform.isLinux() && Platform.isIntel() && Platform.is64Bit() ? 186
            : Platform.isLinux() && Platform.isARM() && Platform.is64Bit() ? 178 : -1;

    private Nice() {
    }

    private static CLib load() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return Native.load("c", CLib.class);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no libc for thread priorities", e);
            return null;
        }
    }

    /**
     * Sets the calling thread's niceness (Linux; only upwards without privileges). Returns true when it
     * was set, false where not supported.
     */
    public static boolean lowerCurrentThread(int niceness) {
        if (C == null || SYS_GETTID < 0) {
            return false;
        }
        try {
            long tid = C.syscall(SYS_GETTID);
            return tid > 0 && C.setpriority(PRIO_PROCESS, (int) tid, niceness) == 0;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("could not lower the thread priority", e);
            return false;
        }
    }

    /**
     * Daemon threads named {@code name-1}, {@code name-2}, … (or just {@code name} when {@code numbered} is
     * false) that lower their own priority to {@link #BACKGROUND} when they start.
     */
    public static ThreadFactory backgroundThreads(String name, boolean numbered) {
        AtomicInteger no = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                lowerCurrentThread(BACKGROUND);
                r.run();
            }, numbered ? name + "-" + no.incrementAndGet() : name);
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        };
    }
}
