package dev.greenlight.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.account.Caller;
import dev.greenlight.account.Role;
import dev.greenlight.cluster.EventBusAnnouncer;
import dev.greenlight.job.JobState;
import dev.greenlight.job.StateChange;
import dev.greenlight.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event stream with a browser that stops reading: the node must not buffer without bound. Progress events are
 * dropped while the connection is backed up (the next one supersedes them) and the stream goes on once the browser
 * catches up; a state change that cannot be queued closes the stream, so the browser reconnects and reloads.
 */
class EventsBackpressureTest {
  static final String JOBS = "test.events.jobs";
  static final String PROGRESS = "test.events.progress";
  static final int EVENTS = 20_000;
  static final String PADDING = "x".repeat(1000); // about 1 KB per event: 20 MB in all, far beyond the socket buffers

  Vertx vertx;
  HttpServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    EventBusAnnouncer.registerCodecs(vertx);
    EventsHandler events = new EventsHandler(vertx, JOBS, PROGRESS);
    Await.result(events.start());
    Router router = Router.router(vertx);
    Caller admin = new Caller(UUID.randomUUID(), UUID.randomUUID(), "admin", Role.ADMIN);
    router.get(EventsHandler.PATH).handler(ctx -> {
      ctx.put(Authentication.CALLER, admin);
      ctx.next();
    }).handler(events::stream);
    server = Await.result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  /** A browser with a small receive window that has sent its request and then reads nothing. */
  Socket stalledBrowser() throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", server.actualPort()));
    OutputStream out = s.getOutputStream();
    out.write(("GET " + EventsHandler.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    // the headers and the opening comment: the stream is open
    assertThat(drain(s, Duration.ofMillis(500)).text()).contains("200 OK", ": greenlight events");
    return s;
  }

  void publishProgress() {
    for (int i = 0; i < EVENTS; i++) {
      vertx.eventBus().publish(PROGRESS, new JsonObject().put("job_id", UUID.randomUUID().toString()).put("phase", "denoise")
          .put("step", i).put("steps", EVENTS).put("note", PADDING));
    }
  }

  void publishStateChange(String reason) {
    vertx.eventBus().publish(JOBS, new StateChange(UUID.randomUUID(), UUID.randomUUID(), JobState.QUEUED, JobState.RUNNING,
        Instant.now(), reason));
  }

  /** Reads what arrives until nothing comes for {@code quiet} or the stream ends; the text read and whether it ended. */
  record Received(String text, boolean ended) {
    long count(String event) {
      return text.lines().filter(l -> l.equals("event: " + event)).count();
    }
  }

  static Received drain(Socket s, Duration quiet) throws IOException {
    s.setSoTimeout((int) quiet.toMillis());
    InputStream in = s.getInputStream();
    StringBuilder text = new StringBuilder();
    byte[] buf = new byte[65536];
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        return new Received(text.toString(), false);
      } catch (IOException e) {
        return new Received(text.toString(), true); // reset by the server
      }
      if (n < 0) {
        return new Received(text.toString(), true);
      }
      text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    }
  }

  @Test
  void progressIsDroppedWhileTheBrowserIsBehindAndTheStreamGoesOnAfterwards() throws Exception {
    try (Socket browser = stalledBrowser()) {
      publishProgress();
      Thread.sleep(1000); // the event loop works through the published events while nobody reads

      Received backlog = drain(browser, Duration.ofSeconds(2));
      assertThat(backlog.ended()).isFalse();
      assertThat(backlog.count("progress")).as("progress events that reached the stalled browser")
          .isPositive().isLessThan(EVENTS / 2);

      // caught up: the next state change arrives on the same stream
      publishStateChange("after the backlog");
      Received next = drain(browser, Duration.ofSeconds(2));
      assertThat(next.ended()).isFalse();
      assertThat(next.count("job")).isEqualTo(1);
      assertThat(next.text()).contains("after the backlog");
    }
  }

  @Test
  void aStateChangeThatCannotBeQueuedClosesTheStream() throws Exception {
    try (Socket browser = stalledBrowser()) {
      publishProgress();
      Thread.sleep(1000);
      publishStateChange("lost in the backlog");
      Thread.sleep(300);

      Received all = drain(browser, Duration.ofSeconds(5));
      assertThat(all.ended()).as("the stream was closed for the browser to reconnect").isTrue();
      assertThat(all.text()).doesNotContain("lost in the backlog");
      assertThat(all.count("progress")).isLessThan(EVENTS / 2);
    }
  }
}
