package dev.greenlight.cluster;

import dev.greenlight.job.JobState;
import dev.greenlight.job.StateChange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** Carries {@link StateChange} records between nodes as JSON. */
public final class StateChangeCodec implements MessageCodec<StateChange, StateChange> {
  public static final String NAME = "greenlight.state-change";

  public static JsonObject toJson(StateChange c) {
    return new JsonObject()
        .put("job_id", c.jobId().toString())
        .put("account_id", c.accountId() == null ? null : c.accountId().toString())
        .put("from", c.from() == null ? null : c.from().wire())
        .put("to", c.to().wire())
        .put("at", c.at().toString())
        .put("reason", c.reason());
  }

  public static StateChange fromJson(JsonObject j) {
    String account = j.getString("account_id");
    String from = j.getString("from");
    return new StateChange(UUID.fromString(j.getString("job_id")), account == null ? null : UUID.fromString(account),
        from == null ? null : JobState.fromWire(from), JobState.fromWire(j.getString("to")), Instant.parse(j.getString("at")),
        j.getString("reason"));
  }

  @Override
  public void encodeToWire(Buffer buffer, StateChange c) {
    Buffer json = toJson(c).toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public StateChange decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
  }

  @Override
  public StateChange transform(StateChange c) {
    return c;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
