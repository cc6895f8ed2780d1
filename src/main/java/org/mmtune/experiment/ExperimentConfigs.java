package org.mmtune.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Reads, validates and writes experiment files, and loads the bundled presets ({@code quick}, {@code camvid}). */
public final class ExperimentConfigs {

    /** The presets shipped as resources under {@code /presets/NAME.json}. */
    public static final List<String> PRESETS = List.of("quick", "camvid", "camvid-subset");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ExperimentConfigs() {
    }

    public static ExperimentConfig read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
        }
        return parse(text, file.toString());
    }

    /** Parses and validates; {@code source} names the file in messages. */
    public static ExperimentConfig parse(String json, String source) throws ConfigException {
        ExperimentConfig c;
        try {
            c = MAPPER.readValue(json, ExperimentConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(source + ": unknown key '" + path(e) + "'", e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(source + ": key '" + path(e) + "': '" + e.getValue() + "' is not a valid "
                    + e.getTargetType().getSimpleName(), e);
        } catch (MismatchedInputException e) {
            String key = path(e);
            throw new ConfigException(source + ": key '" + (key.isEmpty() ? "(top level)" : key)
                    + "': wrong type or value" + (e.getTargetType() != null
                    ? " (expected " + e.getTargetType().getSimpleName() + ")" : ""), e);
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": key '" + path(e) + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + " (" + e.getOriginalMessage() + ")", e);
        }
        if (c == null) {
            throw new ConfigException(source + ": empty experiment");
        }
        List<String> problems = c.problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(source + ": " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem"
                    + (problems.size() > 2 ? "s" : "") + ")" : ""));
        }
        return c;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** Loads a bundled preset by name. */
    public static ExperimentConfig preset(String name) throws ConfigException {
        String res = "/presets/" + name + ".json";
        try (InputStream in = ExperimentConfigs.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new ConfigException("preset '" + name + "': unknown (available: " + String.join(", ", PRESETS) + ")");
            }
            ExperimentConfig c = parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    "preset " + name);
            if (c.preset == null) {
                c.preset = name;
            }
            return c;
        } catch (IOException e) {
            throw new ConfigException("preset '" + name + "': cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static String toJson(ExperimentConfig c) {
        try {
            return MAPPER.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deep copy (via JSON). */
    public static ExperimentConfig copy(ExperimentConfig c) {
        try {
            return MAPPER.readValue(MAPPER.writeValueAsString(c), ExperimentConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
