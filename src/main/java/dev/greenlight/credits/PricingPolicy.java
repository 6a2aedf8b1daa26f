package dev.greenlight.credits;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * How credits are priced (admin-editable, persisted).
 *
 * <p>{@code price = max(floor, (base + carbon) x (1 - discount))} with
 * {@code base = referenceCredits x (1 - carbonShare) x (pixels/ref)^pixelExponent x (duration/2 s)^durationExponent x
 * (steps/ref)^stepsExponent}, {@code carbon = referenceCredits x carbonShare x expected gCO2 / the reference job's gCO2
 * at referenceGPerKwh}, and for offline jobs {@code discount = min(maxOfflineDiscount, offlineDiscountSlope x the share
 * of carbon the deferral is expected to save)}. The reference request is 240p, 2 s, the default steps, online, at the
 * reference intensity: it costs exactly {@code referenceCredits}.
 */
public record PricingPolicy(double referenceCredits, double referenceGPerKwh, double carbonShare, double pixelExponent,
    double durationExponent, double stepsExponent, double offlineDiscountSlope, double maxOfflineDiscount, double floorCredits) {

  public static final PricingPolicy DEFAULT = new PricingPolicy(10, 300, 0.5, 1, 1, 1, 1, 0.5, 0.5);
  static final Set<String> FIELDS = Set.of("reference_credits", "reference_g_per_kwh", "carbon_share", "pixel_exponent",
      "duration_exponent", "steps_exponent", "offline_discount_slope", "max_offline_discount", "floor_credits");

  public JsonObject toJson() {
    return new JsonObject().put("reference_credits", referenceCredits).put("reference_g_per_kwh", referenceGPerKwh)
        .put("carbon_share", carbonShare).put("pixel_exponent", pixelExponent).put("duration_exponent", durationExponent)
        .put("steps_exponent", stepsExponent).put("offline_discount_slope", offlineDiscountSlope)
        .put("max_offline_discount", maxOfflineDiscount).put("floor_credits", floorCredits);
  }

  /** A problem with a field. */
  public record Problem(String field, String detail) {}

  /** This policy with {@code changes} applied; problems are collected, not thrown. */
  public PricingPolicy merge(JsonObject changes, List<Problem> problems) {
    for (String f : changes.fieldNames()) {
      if (!FIELDS.contains(f)) {
        problems.add(new Problem(f, "unknown field; allowed: " + String.join(", ", FIELDS.stream().sorted().toList())));
      }
    }
    return new PricingPolicy(
        num(changes, "reference_credits", 0.0001, 1e9, referenceCredits, problems),
        num(changes, "reference_g_per_kwh", 1, 2000, referenceGPerKwh, problems),
        num(changes, "carbon_share", 0, 1, carbonShare, problems),
        num(changes, "pixel_exponent", 0, 3, pixelExponent, problems),
        num(changes, "duration_exponent", 0, 3, durationExponent, problems),
        num(changes, "steps_exponent", 0, 3, stepsExponent, problems),
        num(changes, "offline_discount_slope", 0, 10, offlineDiscountSlope, problems),
        num(changes, "max_offline_discount", 0, 0.95, maxOfflineDiscount, problems),
        num(changes, "floor_credits", 0, 1e9, floorCredits, problems));
  }

  private static double num(JsonObject o, String field, double min, double max, double fallback, List<Problem> problems) {
    if (!o.containsKey(field)) {
      return fallback;
    }
    Object v = o.getValue(field);
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
      problems.add(new Problem(field, "must be a number from " + min + " to " + max + ", got " + v));
      return fallback;
    }
    return n.doubleValue();
  }
}
