package org.mmtune.util;

import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.opencv.global.opencv_core;

/**
 * Keeps OpenCV from starting its own worker pool. mmtune parallelises over images itself (one image per
 * task, on all cores), and every OpenCV call it makes is small (one PNG, one 480x360 colour conversion,
 * one 128x128 resize): handing such calls to OpenCV's pool only adds hand-offs, and its workers keep
 * spinning after each call, taking CPU from the threads doing the real work (measured on 2 cores: about
 * 0.15 s of CPU per pass over CamVid train, for nothing).
 */
public final class OpenCvThreads {

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private OpenCvThreads() {
    }

    /** Makes OpenCV run every call on the calling thread (idempotent, cheap after the first call). */
    public static void callerOnly() {
        if (DONE.compareAndSet(false, true)) {
            opencv_core.setNumThreads(1);
        }
    }
}
