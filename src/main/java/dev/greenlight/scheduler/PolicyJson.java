package dev.greenlight.scheduler;

import dev.greenlight.planner.PlannerPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The planner policy as JSON (the admin API's and the database's form), and its validation: every out-of-range or
 * unknown value is reported with its field name.
 */
public final class PolicyJson {
  static final Set<String> FIELDS = Set.of("carbon_aware", "release_below_g_per_kwh", "max_deferral_h", "safety_margin",
      "horizon_h", "slot_minutes", "capacity_override", "region_allow_list", "online_reserve", "online_reserve_from_history",
      "online_reserve_min", "online_reserve_headroom", "online_reserve_headroom_lead_h", "forecast_smoothing");

  private PolicyJson() {}

  /** A field that is wrong, and why. */
  public record Problem(String field, String detail) {}

  public static JsonObject toJson(PlannerPolicy p) {
    JsonObject capacity = new JsonObject();
    p.capacityOverride().forEach(capacity::put);
    return new JsonObject()
        .put("carbon_aware", p.carbonAware())
        .put("release_below_g_per_kwh", p.releaseBelowGPerKwh())
        .put("max_deferral_h", p.maxDeferralH())
        .put("safety_margin", new JsonObject().put("fraction", p.safetyMarginFraction()).put("min_s", p.safetyMarginMinS()))
        .put("horizon_h", p.horizonH())
        .put("slot_minutes", p.slotMinutes())
        .put("capacity_override", capacity)
        .put("region_allow_list", new JsonArray(p.regionAllowList()))
        .put("online_reserve", p.onlineReserve())
        .put("online_reserve_from_history", p.onlineReserveFromHistory())
        .put("online_reserve_min", p.onlineReserveMin())
        .put("online_reserve_headroom", p.onlineReserveHeadroom())
        .put("online_reserve_headroom_lead_h", new JsonObject().put("full", p.onlineReserveHeadroomFullH())
            .put("none", p.onlineReserveHeadroomNoneH()))
        .put("forecast_smoothing", p.forecastSmoothing());
  }

  /**
   * Applies {@code changes} (any subset of the fields) to {@code base}; fills {@code problems} instead of throwing.
   * {@code regions} are the regions the cluster knows.
   */
  public static PlannerPolicy merge(PlannerPolicy base, JsonObject changes, List<String> regions, List<Problem> problems) {
    for (String name : changes.fieldNames()) {
      if (!FIELDS.contains(name)) {
        problems.add(new Problem(name, "unknown field; allowed: " + String.join(", ", FIELDS.stream().sorted().toList())));
      }
    }
    boolean carbonAware = changes.containsKey("carbon_aware") ? bool(changes, "carbon_aware", problems, base.carbonAware()) : base.carbonAware();
    double releaseBelow = number(changes, "release_below_g_per_kwh", 0, 2000, base.releaseBelowGPerKwh(), problems);
    double maxDeferral = number(changes, "max_deferral_h", 0, 168, base.maxDeferralH(), problems);
    JsonObject margin = object(changes, "safety_margin", List.of("fraction", "min_s"), "{\"fraction\": 0..5, \"min_s\": 0..86400}", problems);
    double fraction = number(margin, "fraction", 0, 5, base.safetyMarginFraction(), problems, "safety_margin.fraction");
    double minS = number(margin, "min_s", 0, 86_400, base.safetyMarginMinS(), problems, "safety_margin.min_s");
    int horizon = (int) number(changes, "horizon_h", 1, 168, base.horizonH(), problems);
    if (changes.containsKey("horizon_h") && !(changes.getValue("horizon_h") instanceof Integer)) {
      problems.add(new Problem("horizon_h", "must be a whole number of hours"));
    }
    int slot = base.slotMinutes();
    if (changes.containsKey("slot_minutes")) {
      Object v = changes.getValue("slot_minutes");
      if (v instanceof Integer i && PlannerPolicy.SLOT_MINUTES.contains(i)) {
        slot = i;
      } else {
        String accepted = PlannerPolicy.SLOT_MINUTES.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
        problems.add(new Problem("slot_minutes", "must be one of " + accepted + ", got " + v));
      }
    }
    Map<String, Integer> capacity = new LinkedHashMap<>(base.capacityOverride());
    if (changes.containsKey("capacity_override")) {
      capacity.clear();
      if (changes.getValue("capacity_override") instanceof JsonObject c) {
        for (String region : c.fieldNames()) {
          Object v = c.getValue(region);
          if (!regions.contains(region)) {
            problems.add(new Problem("capacity_override." + region, "unknown region; known: " + String.join(", ", regions)));
          } else if (v instanceof Integer n && n >= 0 && n <= 10_000) {
            capacity.put(region, n);
          } else {
            problems.add(new Problem("capacity_override." + region, "must be a whole number of GPUs from 0 to 10000, got " + v));
          }
        }
      } else {
        problems.add(new Problem("capacity_override", "must be an object of region: GPUs"));
      }
    }
    List<String> allow = new ArrayList<>(base.regionAllowList());
    if (changes.containsKey("region_allow_list")) {
      allow.clear();
      if (changes.getValue("region_allow_list") instanceof JsonArray a) {
        for (int i = 0; i < a.size(); i++) {
          Object v = a.getValue(i);
          if (v instanceof String r && regions.contains(r)) {
            if (!allow.contains(r)) {
              allow.add(r);
            }
          } else {
            problems.add(new Problem("region_allow_list[" + i + "]", "unknown region " + v + "; known: " + String.join(", ", regions)));
          }
        }
      } else {
        problems.add(new Problem("region_allow_list", "must be an array of region names (empty = all)"));
      }
    }
    double reserve = number(changes, "online_reserve", 0, 0.9, base.onlineReserve(), problems);
    boolean fromHistory = changes.containsKey("online_reserve_from_history")
        ? bool(changes, "online_reserve_from_history", problems, base.onlineReserveFromHistory()) : base.onlineReserveFromHistory();
    double reserveMin = number(changes, "online_reserve_min", 0, 0.9, base.onlineReserveMin(), problems);
    double headroom = number(changes, "online_reserve_headroom", 0.5, 4, base.onlineReserveHeadroom(), problems);
    JsonObject lead = object(changes, "online_reserve_headroom_lead_h", List.of("full", "none"),
        "{\"full\": 0..168, \"none\": full..168}", problems);
    double headroomFull = number(lead, "full", 0, 168, base.onlineReserveHeadroomFullH(), problems, "online_reserve_headroom_lead_h.full");
    double headroomNone = number(lead, "none", 0, 168, base.onlineReserveHeadroomNoneH(), problems, "online_reserve_headroom_lead_h.none");
    if (headroomNone < headroomFull) {
      problems.add(new Problem("online_reserve_headroom_lead_h.none", "must be at least full (" + fmt(headroomFull) + "), got "
          + fmt(headroomNone)));
    }
    boolean smoothing = changes.containsKey("forecast_smoothing")
        ? bool(changes, "forecast_smoothing", problems, base.forecastSmoothing()) : base.forecastSmoothing();
    return new PlannerPolicy(carbonAware, releaseBelow, maxDeferral, fraction, minS, horizon, slot, Map.copyOf(capacity),
        List.copyOf(allow), reserve, fromHistory, reserveMin, headroom, headroomFull, headroomNone, smoothing);
  }

  /**
   * The object-valued field {@code field} of {@code changes} (empty when absent or not an object, so its members fall
   * back to the base policy), reporting members other than {@code keys} and a value that is no object.
   */
  private static JsonObject object(JsonObject changes, String field, List<String> keys, String shape, List<Problem> problems) {
    if (!changes.containsKey(field)) {
      return new JsonObject();
    }
    if (!(changes.getValue(field) instanceof JsonObject o)) {
      problems.add(new Problem(field, "must be an object " + shape));
      return new JsonObject();
    }
    for (String k : o.fieldNames()) {
      if (!keys.contains(k)) {
        problems.add(new Problem(field + "." + k, "unknown field; allowed: " + String.join(", ", keys)));
      }
    }
    return o;
  }

  private static boolean bool(JsonObject o, String field, List<Problem> problems, boolean fallback) {
    if (o.getValue(field) instanceof Boolean b) {
      return b;
    }
    problems.add(new Problem(field, "must be true or false"));
    return fallback;
  }

  private static double number(JsonObject o, String field, double min, double max, double fallback, List<Problem> problems) {
    return number(o, field, min, max, fallback, problems, field);
  }

  private static double number(JsonObject o, String field, double min, double max, double fallback, List<Problem> problems, String name) {
    if (!o.containsKey(field)) {
      return fallback;
    }
    Object v = o.getValue(field);
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      problems.add(new Problem(name, "must be a number from " + fmt(min) + " to " + fmt(max) + ", got " + v));
      return fallback;
    }
    double d = n.doubleValue();
    if (d < min || d > max) {
      problems.add(new Problem(name, "must be from " + fmt(min) + " to " + fmt(max) + ", got " + fmt(d)));
      return fallback;
    }
    return d;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
