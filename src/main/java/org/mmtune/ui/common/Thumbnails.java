package org.mmtune.ui.common;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javafx.scene.image.Image;

/**
 * Image thumbnails decoded on a background thread at thumbnail size (JavaFX scales while decoding) and
 * kept in an LRU cache, so a grid of thousands of images stays smooth.
 */
public final class Thumbnails {

    private static final int CACHE = 3000;

    private static final Map<String, Image> CACHE_MAP = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Image> eldest) {
            return size() > CACHE;
        }
    };
    private static final Map<String, List<Consumer<Image>>> WAITING = new HashMap<>();

    private Thumbnails() {
    }

    /** The cached thumbnail, or null (FX thread). */
    public static Image cached(Path file, int width, int height) {
        return CACHE_MAP.get(key(file, width, height));
    }

    /**
     * Calls {@code onReady} on the FX thread with the thumbnail: at once when cached, else after decoding in
     * the background. Broken files give no call (and no retry storm).
     */
    public static void request(Path file, int width, int height, Consumer<Image> onReady) {
        String key = key(file, width, height);
        Image img = CACHE_MAP.get(key);
        if (img != null) {
            onReady.accept(img);
            return;
        }
        List<Consumer<Image>> waiting = WAITING.get(key);
        if (waiting != null) {
            waiting.add(onReady);
            return;
        }
        waiting = new ArrayList<>();
        waiting.add(onReady);
        WAITING.put(key, waiting);
        Background.thumbnail(() -> {
            Image loaded;
            try {
                // refuse empty, broken or enormous files from their header before JavaFX allocates pixels
                org.mmtune.data.ImageHeader.read(file);
                loaded = new Image(file.toUri().toString(), width, height, true, true, false);
            } catch (org.mmtune.data.DatasetException e) {
                loaded = null;
            }
            Image img2 = loaded;
            Background.runFx(() -> {
                List<Consumer<Image>> done = WAITING.remove(key);
                if (img2 != null && !img2.isError()) {
                    CACHE_MAP.put(key, img2);
                    if (done != null) {
                        done.forEach(c -> c.accept(img2));
                    }
                }
            });
        });
    }

    private static String key(Path file, int w, int h) {
        return file + "@" + w + "x" + h;
    }
}
