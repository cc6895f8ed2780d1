package org.mmtune;

import org.mmtune.cli.MmtuneCli;

/**
 * Entry point of {@code target/mmtune.jar} and of {@code mvn javafx:run}. With no arguments it opens the
 * workbench on the bundled sample data; otherwise it runs the command line. It does not extend
 * {@code javafx.application.Application}, so the non-modular jar starts without the JavaFX launcher check.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        Environment.configure();
        int code = MmtuneCli.run(args.length == 0 ? new String[] {"gui"} : args);
        // the workbench has closed by now (launch blocks), so nothing is cut short
        System.exit(code);
    }
}
