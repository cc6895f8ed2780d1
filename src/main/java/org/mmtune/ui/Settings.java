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
    private List<String> recent;
    /** Writes preferences to disk in order, off the FX thread. */
    private static final java.util.concurrent.ExecutorService WRITER = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "mmtune-settings");
                t.setDaemon(true);
                return t;
            });

    Settings() {
        this(Preferences.userRoot().node(System.getProperty("mmtune.prefsNode", "org/mmtune/workbench")));
    }

    Settings(Preferences prefs) {
        this.prefs = prefs;
    }

    /** The recent list as stored (kept in memory so that the FX thread never waits for the preferences' lock). */
    private synchronized List<String> recent() {
        if (recent == null) {
            recent = new ArrayList<>();
            for (int i = 0; i < MAX_RECENT; i++) {
                String p = prefs.get("recent." + i, null);
                if (p != null) {
                    recent.add(p);
                }
            }
        }
        return recent;
    }

    /** Most recent first; only folders that still exist. */
    List<Path> recentDatasets() {
        List<Path> out = new ArrayList<>();
        for (String p : List.copyOf(recent())) {
            if (Files.isDirectory(Path.of(p))) {
                out.add(Path.of(p));
            }
        }
        return out;
    }

    /** Stores the recent list and writes it to disk on the settings thread (a flush can take 100+ ms). */
    private void storeRecent(List<String> list) {
        synchronized (this) {
            recent = new ArrayList<>(list);
        }
        List<String> copy = List.copyOf(list);
        WRITER.execute(() -> {
            try {
                for (int i = 0; i < MAX_RECENT; i++) {
                    if (i < copy.size()) {
                        prefs.put("recent." + i, copy.get(i));
                    } else {
                        prefs.remove("recent." + i);
                    }
                }
                flush();
            } catch (RuntimeException e) {
                LOG.debug("could not save the recent datasets", e);
            }
        });
    }

    void addRecent(Path folder) {
        List<String> list = new ArrayList<>();
        for (Path p : recentDatasets()) {
            list.add(p.toString());
        }
        String abs = folder.toAbsolutePath().normalize().toString();
        list.remove(abs);
        list.add(0, abs);
        storeRecent(list.subList(0, Math.min(MAX_RECENT, list.size())));
    }

    void clearRecent() {
        storeRecent(List.of());
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

    private void flush() {
        try {
            prefs.flush();
        } catch (BackingStoreException | IllegalStateException e) {
            LOG.debug("could not save preferences", e);
        }
    }
}
