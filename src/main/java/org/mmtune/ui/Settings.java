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
        flush();
    }

    void clearRecent() {
        for (int i = 0; i < MAX_RECENT; i++) {
            prefs.remove("recent." + i);
        }
        flush();
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
        flush();
    }

    double divider(String key, double fallback) {
        return prefs.getDouble("divider." + key, fallback);
    }

    void saveDivider(String key, double value) {
        prefs.putDouble("divider." + key, value);
    }

    private void flush() {
        try {
            prefs.flush();
        } catch (BackingStoreException | IllegalStateException e) {
            LOG.debug("could not save preferences", e);
        }
    }
}
