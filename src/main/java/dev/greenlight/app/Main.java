package dev.greenlight.app;

import dev.greenlight.bench.QueueBench;
import dev.greenlight.config.ConfigException;
import dev.greenlight.config.ConfigLoader;
import dev.greenlight.config.GreenlightConfig;
import java.time.Clock;
import java.util.Arrays;

/**
 * {@code java -jar greenlight.jar} runs a node; {@code java -jar greenlight.jar bench queue --jobs N} runs the queue
 * benchmark. A bad configuration value stops the start with one line naming its key, and exit code 2.
 */
public final class Main {
  private Main() {}

  /** A command that may fail with a message. */
  @FunctionalInterface
  interface Command {
    int run(String[] args) throws Exception;
  }

  /** Runs a command and exits with its status; a failure prints one line naming the command and exits with 2. */
  private static void exitWith(String name, Command command, String[] args) {
    try {
      System.exit(command.run(args));
    } catch (Exception e) {
      System.err.println(name + ": " + e.getMessage());
      System.exit(2);
    }
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile",
          "config/logback.xml"); // a file on disk if present, else the copy packaged in the jar
    }
    if (args.length >= 2 && args[0].equals("bench") && args[1].equals("planner")) {
      System.exit(dev.greenlight.bench.PlannerBench.run(java.util.Arrays.copyOfRange(args, 2, args.length)));
      return;
    }
    if (args.length >= 2 && args[0].equals("bench") && args[1].equals("engine")) {
      exitWith("bench engine", dev.greenlight.bench.EngineBench::run, Arrays.copyOfRange(args, 2, args.length));
      return;
    }
    if (args.length >= 2 && args[0].equals("bench") && args[1].equals("nvml")) {
      exitWith("bench nvml", dev.greenlight.bench.NvmlAgreementCheck::run, Arrays.copyOfRange(args, 2, args.length));
      return;
    }
    if (args.length >= 1 && args[0].equals("simulate")) {
      System.exit(dev.greenlight.sim.SimulateCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    GreenlightConfig config;
    try {
      config = ConfigLoader.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("greenlight: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (args.length >= 2 && args[0].equals("bench") && args[1].equals("queue")) {
      System.exit(QueueBench.run(config, Arrays.copyOfRange(args, 2, args.length)));
      return;
    }
    if (args.length > 0 && !args[0].equals("serve")) {
      System.err.println("usage: greenlight [serve] | greenlight bench queue --jobs N [--workers W] [--batch B] | greenlight bench planner --jobs N | greenlight bench engine --resolution R --duration S --steps N | greenlight bench nvml --out DIR | greenlight simulate --trace R=FILE ...");
      System.exit(2);
      return;
    }
    Node node;
    try {
      node = Node.start(config, Clock.systemUTC());
    } catch (ConfigException e) {
      System.err.println("greenlight: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      System.err.println("greenlight: start failed: " + e.getMessage());
      System.exit(1);
      return;
    }
    node.generatedAdminKey().ifPresent(key -> {
      System.out.println("================================================================");
      System.out.println(" First start: an admin API key was generated. It is shown once;");
      System.out.println(" only its hash is stored. Keep it safe:");
      System.out.println("   " + key);
      System.out.println("================================================================");
    });
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "greenlight-shutdown"));
  }
}
