package dev.greenlight.scheduler;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import dev.greenlight.planner.PlannerPolicy;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The admin's planner policy, persisted; the defaults until an admin changes it. Read at every planning tick. */
public final class PolicyStore {
  static final SqlFile SQL = SqlFile.of(PolicyStore.class, "planning.sql");
  private final Database db;
  private final List<String> regions;

  public PolicyStore(Database db, List<String> regions) {
    this.db = db;
    this.regions = regions;
  }

  public PlannerPolicy current() {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("get_policy").prepare(c); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return PlannerPolicy.DEFAULT;
        }
        List<PolicyJson.Problem> problems = new ArrayList<>();
        PlannerPolicy p = PolicyJson.merge(PlannerPolicy.DEFAULT, new JsonObject(rs.getString("policy")), regions, problems);
        return problems.isEmpty() ? p : PlannerPolicy.DEFAULT; // a stored policy naming a region since removed
      }
    });
  }

  public void put(PlannerPolicy policy, String by, Instant now) {
    db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("put_policy").prepare(c, "policy", PolicyJson.toJson(policy).encode(), "now", now, "by", by)) {
        return ps.executeUpdate();
      }
    });
  }
}
