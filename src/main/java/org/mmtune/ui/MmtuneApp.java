package org.mmtune.ui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/** The workbench application. */
public class MmtuneApp extends Application {

    static volatile int exitCode = 0;

    @Override
    public void start(Stage stage) {
        BorderPane root = new BorderPane(new Label("mmtune"));
        stage.setTitle("mmtune");
        stage.setScene(new Scene(root, 1280, 800));
        stage.show();
    }
}
