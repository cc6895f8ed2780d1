package org.mmtune.ui.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * The experiment config as a form: every value of the JSON tree (the same file the CLI reads) becomes a
 * property-sheet row, grouped by its top-level section. Editing a row writes straight into the tree, so
 * saving writes exactly what the CLI will read; keys are never invented or dropped.
 */
final class ConfigSheet {

    /** Keys whose value is one of a fixed set of names (shown as a choice). */
    private final Map<String, java.util.function.Supplier<List<String>>> choices;
    private final PropertySheet sheet = new PropertySheet();
    private final Runnable onEdit;
    /** Keys edited as a file path with a "…" button: the action gets the current text and a setter for the new one. */
    private final Map<String, java.util.function.BiConsumer<String, java.util.function.Consumer<String>>> fileKeys =
            new java.util.HashMap<>();

    ConfigSheet(Map<String, java.util.function.Supplier<List<String>>> choices, Runnable onEdit) {
        this.choices = choices;
        this.onEdit = onEdit;
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(true);
        // the experiment's own keys first, then the stages in the order they run
        List<String> order = List.of("experiment", "backbone", "proxy", "mm", "finetune", "eval");
        sheet.setCategoryComparator((a, b) -> {
            int ia = order.indexOf(a);
            int ib = order.indexOf(b);
            return ia >= 0 && ib >= 0 ? Integer.compare(ia, ib) : ia >= 0 ? -1 : ib >= 0 ? 1 : a.compareTo(b);
        });
        DefaultPropertyEditorFactory defaults = new DefaultPropertyEditorFactory();
        sheet.setPropertyEditorFactory(item -> editorFor(item, defaults));
    }

    /** Edits {@code key} as a path with a browse button that runs {@code browse}. */
    void browseFor(String key, java.util.function.BiConsumer<String, java.util.function.Consumer<String>> browse) {
        fileKeys.put(key.toLowerCase(Locale.ROOT), browse);
    }

    PropertySheet node() {
        return sheet;
    }

    /** Shows the tree's values (the tree is edited in place). */
    void show(ObjectNode tree) {
        List<PropertySheet.Item> items = new ArrayList<>();
        if (tree != null) {
            collect(tree, "", null, items);
        }
        sheet.getItems().setAll(items);
    }

    private PropertyEditor<?> editorFor(PropertySheet.Item item, DefaultPropertyEditorFactory defaults) {
        if (item instanceof JsonItem j && fileKeys.containsKey(j.key.toLowerCase(Locale.ROOT))) {
            return new PathEditor(item, fileKeys.get(j.key.toLowerCase(Locale.ROOT)));
        }
        if (item instanceof JsonItem j) {
            java.util.function.Supplier<List<String>> options = choices.get(j.key.toLowerCase(Locale.ROOT));
            if (options != null && j.getType() == String.class) {
                List<String> all = new ArrayList<>(options.get());
                Object current = j.getValue();
                if (current != null && !all.contains(current.toString())) {
                    all.add(0, current.toString());
                }
                return Editors.createChoiceEditor(item, all);
            }
        }
        return defaults.call(item);
    }

    private void collect(ObjectNode node, String prefix, String category, List<PropertySheet.Item> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        List<Map.Entry<String, JsonNode>> leaves = new ArrayList<>();
        List<Map.Entry<String, JsonNode>> objects = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            (e.getValue().isObject() ? objects : leaves).add(e);
        }
        for (Map.Entry<String, JsonNode> e : leaves) {
            JsonNode v = e.getValue();
            String cat = category == null ? "experiment" : category;
            if (v.isValueNode() || v.isNull() || isNumberArray(v)) {
                out.add(new JsonItem(node, e.getKey(), prefix + e.getKey(), cat, onEdit));
            }
        }
        for (Map.Entry<String, JsonNode> e : objects) {
            String cat = category == null ? e.getKey() : category;
            String p = category == null ? "" : prefix + e.getKey() + ".";
            collect((ObjectNode) e.getValue(), p, cat, out);
        }
    }

    private static boolean isNumberArray(JsonNode v) {
        if (!v.isArray()) {
            return false;
        }
        for (JsonNode x : v) {
            if (!x.isNumber()) {
                return false;
            }
        }
        return true;
    }

    /** One value of the tree. */
    static final class JsonItem implements PropertySheet.Item {
        private final ObjectNode parent;
        final String key;
        private final String path;
        private final String category;
        private final Class<?> type;
        private final boolean numberArray;
        private final boolean integral;
        private final Runnable onEdit;

        JsonItem(ObjectNode parent, String key, String path, String category, Runnable onEdit) {
            this.parent = parent;
            this.key = key;
            this.path = path;
            this.category = category;
            this.onEdit = onEdit;
            JsonNode v = parent.get(key);
            numberArray = v.isArray();
            integral = v.isIntegralNumber() || (numberArray && allIntegral(v));
            if (v.isBoolean()) {
                type = Boolean.class;
            } else if (v.isIntegralNumber()) {
                type = Integer.class;
            } else if (v.isNumber()) {
                type = Double.class;
            } else {
                type = String.class;
            }
        }

        private static boolean allIntegral(JsonNode a) {
            for (JsonNode x : a) {
                if (!x.isIntegralNumber()) {
                    return false;
                }
            }
            return true;
        }

        String path() {
            return path;
        }

        @Override
        public Class<?> getType() {
            return type;
        }

        @Override
        public String getCategory() {
            return category;
        }

        @Override
        public String getName() {
            return path;
        }

        @Override
        public String getDescription() {
            return category + "." + path + (numberArray ? " (numbers separated by commas)" : "");
        }

        @Override
        public Object getValue() {
            JsonNode v = parent.get(key);
            if (v == null || v.isNull()) {
                return type == String.class ? "" : null;
            }
            if (numberArray) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asText()));
                return String.join(", ", parts);
            }
            if (type == Boolean.class) {
                return v.asBoolean();
            }
            if (type == Integer.class) {
                return v.asInt();
            }
            if (type == Double.class) {
                return v.asDouble();
            }
            return v.asText();
        }

        @Override
        public void setValue(Object value) {
            if (value == null || value.equals(getValue())) {
                return; // editors also write back the value they were given: not an edit
            }
            if (numberArray) {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                for (String s : value.toString().split("[,\\s]+")) {
                    if (s.isBlank()) {
                        continue;
                    }
                    try {
                        if (integral) {
                            a.add(Long.parseLong(s.trim()));
                        } else {
                            a.add(Double.parseDouble(s.trim()));
                        }
                    } catch (NumberFormatException e) {
                        return; // keep the old value until the text is a list of numbers again
                    }
                }
                parent.set(key, a);
            } else if (type == Boolean.class) {
                parent.put(key, (Boolean) value);
            } else if (type == Integer.class) {
                parent.put(key, ((Number) value).intValue());
            } else if (type == Double.class) {
                parent.put(key, ((Number) value).doubleValue());
            } else if (value.toString().isEmpty() && (parent.get(key) == null || parent.get(key).isNull())) {
                return; // an optional value left empty stays null
            } else {
                parent.put(key, value.toString());
            }
            onEdit.run();
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.empty();
        }
    }

    /** A path as text with a browse button. */
    static final class PathEditor extends org.controlsfx.property.editor.AbstractPropertyEditor<Object, javafx.scene.layout.HBox> {

        PathEditor(PropertySheet.Item item, java.util.function.BiConsumer<String, java.util.function.Consumer<String>> browse) {
            super(item, box(item, browse));
        }

        private static javafx.scene.layout.HBox box(PropertySheet.Item item,
                java.util.function.BiConsumer<String, java.util.function.Consumer<String>> browse) {
            javafx.scene.control.TextField field = new javafx.scene.control.TextField();
            field.setId("path-" + item.getName());
            javafx.scene.control.Button button = new javafx.scene.control.Button("…");
            button.setId("browse-" + item.getName());
            button.setTooltip(new javafx.scene.control.Tooltip("Choose a file"));
            button.setOnAction(e -> browse.accept(field.getText(), field::setText));
            javafx.scene.layout.HBox.setHgrow(field, javafx.scene.layout.Priority.ALWAYS);
            return new javafx.scene.layout.HBox(2, field, button);
        }

        private javafx.scene.control.TextField field() {
            return (javafx.scene.control.TextField) getEditor().getChildren().get(0);
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected ObservableValue<Object> getObservableValue() {
            return (ObservableValue) field().textProperty();
        }

        @Override
        public void setValue(Object value) {
            field().setText(value == null ? "" : value.toString());
        }
    }
}
