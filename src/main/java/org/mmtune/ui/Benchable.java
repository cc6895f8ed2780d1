package org.mmtune.ui;

import java.util.List;

/** A view that can measure its interactive speed for {@code gui --bench}. */
public interface Benchable {

    /**
     * Runs on the benchmark's driver thread (not the FX thread: use {@link AutoDriver#fx} and
     * {@link AutoDriver#awaitIdle}); returns one printable line per figure.
     */
    List<String> bench(AutoDriver driver) throws Exception;
}
