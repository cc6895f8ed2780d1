package org.mmtune.ui.train;

import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.ScheduledService;
import javafx.concurrent.Task;
import javafx.util.Duration;
import org.mmtune.experiment.runs.RunFollower;

/**
 * Polls one run folder in the background (a {@link RunFollower} on a {@link ScheduledService}) and
 * hands each update to the UI on the FX thread. Switching the followed run starts a fresh follower,
 * which first reports everything already in the folder.
 */
final class RunMonitor {

    private final ReadOnlyObjectWrapper<Path> runDir = new ReadOnlyObjectWrapper<>(this, "runDir");
    private final Consumer<RunFollower.Update> onUpdate;
    private final Runnable onSwitch;
    private volatile RunFollower follower;
    private final ScheduledService<RunFollower.Update> service = new ScheduledService<>() {
        @Override
        protected Task<RunFollower.Update> createTask() {
            RunFollower f = follower;
            return new Task<>() {
                @Override
                protected RunFollower.Update call() {
                    return f == null ? null : f.poll();
                }
            };
        }
    };

    RunMonitor(Duration period, Consumer<RunFollower.Update> onUpdate, Runnable onSwitch) {
        this.onUpdate = onUpdate;
        this.onSwitch = onSwitch;
        service.setPeriod(period);
        service.setRestartOnFailure(true);
        service.setOnSucceeded(e -> {
            RunFollower.Update u = service.getValue();
            // an update from the previous run's follower is dropped
            if (u != null && follower != null) {
                onUpdate.accept(u);
            }
        });
    }

    ReadOnlyObjectProperty<Path> runDirProperty() {
        return runDir.getReadOnlyProperty();
    }

    Path runDir() {
        return runDir.get();
    }

    /** Follows {@code dir} from now on (null stops following). Call on the FX thread. */
    void follow(Path dir) {
        service.cancel();
        follower = dir == null ? null : new RunFollower(dir);
        runDir.set(dir);
        onSwitch.run();
        if (dir != null) {
            service.restart();
        }
    }

    /** Polls once more right away (e.g. when a job ended). */
    void pollNow() {
        if (follower != null && !service.isRunning()) {
            service.restart();
        }
    }

    void stop() {
        service.cancel();
    }

    boolean isPolling() {
        return service.isRunning();
    }

    Consumer<RunFollower.Update> consumer() {
        return onUpdate;
    }
}
