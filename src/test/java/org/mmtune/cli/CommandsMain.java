package org.mmtune.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mmtune.Environment;

/**
 * Test helper run in a child JVM: runs several mmtune commands, separated by {@code ::}, in one process,
 * printing each one's exit code, stdout and stderr between markers (one JVM start for many commands).
 */
public final class CommandsMain {

    static final String MARK = "#### ";

    private CommandsMain() {
    }

    public static void main(String[] args) {
        Environment.configure();
        List<String> cmd = new ArrayList<>();
        for (String a : Arrays.asList(args)) {
            if (a.equals("::")) {
                run(cmd);
                cmd.clear();
            } else {
                cmd.add(a);
            }
        }
        if (!cmd.isEmpty()) {
            run(cmd);
        }
        System.out.flush();
    }

    private static void run(List<String> cmd) {
        BadInput.Run r = BadInput.run(cmd.toArray(String[]::new));
        System.out.println(MARK + "command " + String.join(" ", cmd));
        System.out.println(MARK + "exit " + r.code());
        System.out.println(MARK + "out");
        System.out.print(r.out());
        System.out.println(MARK + "err");
        System.out.print(r.err());
        System.out.println(MARK + "end");
    }

    /** Parses the child's output back into one {@link BadInput.Run} per command. */
    static List<BadInput.Run> parse(String output) {
        List<BadInput.Run> runs = new ArrayList<>();
        String[] parts = output.split(MARK + "command ");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int code = Integer.parseInt(p.substring(p.indexOf(MARK + "exit ") + 10, p.indexOf('\n', p.indexOf(MARK + "exit "))).strip());
            String out = p.substring(p.indexOf(MARK + "out\n") + 9, p.indexOf(MARK + "err\n"));
            String err = p.substring(p.indexOf(MARK + "err\n") + 9, p.indexOf(MARK + "end"));
            runs.add(new BadInput.Run(code, out, err));
        }
        return runs;
    }
}
