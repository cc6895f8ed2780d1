package org.mmtune.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the workbench remembers between sessions (java.util.prefs): recent datasets, window layout. */
final class Settings {

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);
    private static final int MAX_RECENT = 8;

    private final Preferences prefs;

    Settings() {
        this(Preferences.userRoot().node(System.getProperty("mmtune.prefsNode", "org/mmtune/workbench")));
    }

    Settings(Preferences prefs) {
        this.prefs = prefs;
    }

    /** Most recent first; only folders that still exist. */
    List<Path> recentDatasets() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            String p = prefs.get("recent." + i, null);
            if (p != null && Files.isDirectory(Path.of(p))) {
                out.add(Path.of(p));
            }
        }
        return out;
    }

    void addRecent(Path folder) {
        List<Path> list = new ArrayList<>(recentDatasets());
        Path abs = folder.toAbsolutePath().normalize();
        list.remove(abs);
        list.add(0, abs);
        for (int i = 0; i < MAX_RECENT; i++) {
            if (i < list.size()) {
                prefs.put("recent." + i, list.get(i).toString());
            } else {
                prefs.remove("recent." + i);
            }
        }
        flushLater();
    }

    void clearRecent() {
        for (int i = 0; i < MAX_RECENT; i++) {
            prefs.remove("recent." + i);
        }
        flushLater();
    }

    int lastTab() {
        return prefs.getInt("window.tab", 0);
    }

    void restoreWindow(Stage stage) {
        double w = prefs.getDouble("window.w", 1400);
        double h = prefs.getDouble("window.h", 900);
        stage.setWidth(Math.max(800, w));
        stage.setHeight(Math.max(560, h));
        double x = prefs.getDouble("window.x", Double.NaN);
        double y = prefs.getDouble("window.y", Double.NaN);
        if (!Double.isNaN(x) && !Double.isNaN(y)) {
            stage.setX(x);
            stage.setY(y);
        }
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
    }

    void saveWindow(Stage stage, int tab) {
        prefs.putBoolean("window.maximized", stage.isMaximized());
        if (!stage.isMaximized()) {
            prefs.putDouble("window.x", stage.getX());
            prefs.putDouble("window.y", stage.getY());
            prefs.putDouble("window.w", stage.getWidth());
            prefs.putDouble("window.h", stage.getHeight());
        }
        prefs.putInt("window.tab", tab);
        if (stage.getScene() != null) {
            saveDividers(stage.getScene().getRoot());
        }
        flush();
    }

    /** Saves the divider positions of every split pane with an id under {@code root}. */
    void saveDividers(javafx.scene.Node root) {
        for (javafx.scene.Node n : root.lookupAll(".split-pane")) {
            if (n instanceof javafx.scene.control.SplitPane sp && sp.getId() != null) {
                double[] d = sp.getDividerPositions();
                StringBuilder sb = new StringBuilder();
                for (double v : d) {
                    sb.append(sb.length() == 0 ? "" : ",").append(v);
                }
                prefs.put("divider." + sp.getId(), sb.toString());
            }
        }
    }

    /** Restores the divider positions saved by {@link #saveDividers}. */
    void restoreDividers(javafx.scene.Node root) {
        for (javafx.scene.Node n : root.lookupAll(".split-pane")) {
            if (n instanceof javafx.scene.control.SplitPane sp && sp.getId() != null) {
                String v = prefs.get("divider." + sp.getId(), null);
                if (v == null) {
                    continue;
                }
                try {
                    String[] parts = v.split(",");
                    double[] d = new double[parts.length];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = Double.parseDouble(parts[i]);
                    }
                    if (d.length == sp.getDividers().size()) {
                        sp.setDividerPositions(d);
                    }
                } catch (NumberFormatException e) {
                    LOG.debug("bad divider preference {}", v, e);
                }
            }
        }
    }

    /** Writes the preferences to disk off the FX thread (a flush touches the disk: up to 100+ ms). */
    private void flushLater() {
        java.util.concurrent.CompletableFuture.runAsync(this::flush);
    }

    private void flush() {
        try {
            prefs.flush();
        } catch (BackingStoreException | IllegalStateException e) {
            LOG.debug("could not save preferences", e);
        }
    }
}
