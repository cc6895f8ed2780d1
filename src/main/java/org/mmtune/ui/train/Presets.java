package org.mmtune.ui.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The experiment presets shipped with the pipeline (JSON resources), as editable trees. */
final class Presets {

    static final List<String> NAMES = List.of("quick", "camvid");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Presets() {
    }

    static List<String> names() {
        return NAMES.stream().filter(n -> Presets.class.getResource(resource(n)) != null).toList();
    }

    static String resource(String name) {
        return "/presets/" + name + ".json";
    }

    static ObjectNode load(String name) throws IOException {
        try (InputStream in = Presets.class.getResourceAsStream(resource(name))) {
            if (in == null) {
                throw new IOException("no preset called '" + name + "'");
            }
            JsonNode n = MAPPER.readTree(in);
            if (!n.isObject()) {
                throw new IOException("preset " + name + " is not a JSON object");
            }
            return (ObjectNode) n;
        }
    }
}
