package dev.greenlight.engine.torch;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running {@code engine.py}: JSON lines in and out, a reader thread, timeouts, and a hard stop. */
final class EngineProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineProcess.class);
  private static final JsonObject EOF = new JsonObject().put("type", "__eof__");
  private final Process process;
  private final BufferedWriter stdin;
  private final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
  final JsonObject ready;

  private EngineProcess(List<String> command, Map<String, String> environment, Duration startTimeout)
      throws IOException, TimeoutException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    process = builder.start();
    stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread.ofVirtual().name("gl-torch-reader").start(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          try {
            messages.add(new JsonObject(line));
          } catch (RuntimeException e) {
            LOG.warn("torch engine wrote a line that is not JSON: {}", line.length() > 200 ? line.substring(0, 200) : line);
          }
        }
      } catch (IOException e) {
        // the process ended
      } finally {
        messages.add(EOF);
      }
    });
    JsonObject first = next(startTimeout);
    if (!"ready".equals(first.getString("type"))) {
      close();
      throw new IOException("torch engine did not say ready: " + first.encode());
    }
    ready = first;
  }

  static EngineProcess start(List<String> command, Map<String, String> environment, Duration startTimeout)
      throws IOException, TimeoutException, InterruptedException {
    return new EngineProcess(command, environment, startTimeout);
  }

  void send(JsonObject message) throws IOException {
    stdin.write(message.encode());
    stdin.write('\n');
    stdin.flush();
  }

  /** The next message, waiting at most {@code timeout}. */
  JsonObject next(Duration timeout) throws IOException, TimeoutException, InterruptedException {
    JsonObject m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (m == null) {
      throw new TimeoutException("torch engine sent nothing for " + timeout.toSeconds() + " s");
    }
    if (m == EOF) {
      messages.add(EOF);
      throw new IOException("torch engine process exited (code " + (process.isAlive() ? "?" : process.exitValue()) + ")");
    }
    return m;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Asks the process to exit, then stops it if it does not within a few seconds. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        send(new JsonObject().put("type", "shutdown"));
      }
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  void kill() {
    process.destroyForcibly();
  }
}
