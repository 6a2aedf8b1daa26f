package dev.greenlight.scheduler;

import static dev.greenlight.testing.StoredForecasts.hourly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.db.Database;
import dev.greenlight.forecast.ForecastProvider;
import dev.greenlight.forecast.ForecastSnapshot;
import dev.greenlight.forecast.ForecastStore;
import dev.greenlight.forecast.ForecastView;
import dev.greenlight.forecast.Signal;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.testing.JobFactory;
import dev.greenlight.testing.MigratedDatabase;
import dev.greenlight.testing.StoredForecasts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The planning tick plans on the forecast smoothed by its stored track record. The grid runs at 300 g/kWh; the newest
 * forecast shows a one-hour dip to 100 in hour 2 and a four-hour dip to 180 in hours 6-9. From a provider whose past
 * forecasts were off by independent errors of 40 g/kWh an hour, a lone hour's dip is most likely noise: the job is
 * planned into the broad dip. From a provider whose past forecasts were exact, it takes hour 2.
 */
class SmoothedForecastTickTest {
  @RegisterExtension
  static final MigratedDatabase DATABASE = MigratedDatabase.perClass("smoothed-forecast-tick-test");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final Duration HOUR = Duration.ofHours(1);

  @Test
  void aLoneHoursDipFromANoisyProviderIsTakenForNoise() {
    Database db = DATABASE.db();
    ForecastStore store = new ForecastStore(db);
    record(store, "noisy", t -> 300 + 40 * new SplittableRandom(t.getEpochSecond()).nextGaussian());
    record(store, "exact", t -> 300.0);
    for (String region : List.of("noisy", "exact")) {
      store.save(new ForecastSnapshot(region, "test", Signal.AVERAGE, T0, hourly(T0, 48, t -> {
        long h = Duration.between(T0, t).toHours();
        return h == 2 ? 100.0 : h >= 6 && h <= 9 ? 180.0 : 300.0;
      }), hourly(T0.minus(HOUR), 1, t -> 300.0)), T0);
    }
    ForecastProvider provider = StoredForecasts.provider();
    ForecastView view = new ForecastView(store, Map.of("noisy", provider, "exact", provider), Duration.ofHours(1));
    PolicyStore policies = new PolicyStore(db, List.of("noisy", "exact"));
    PlannerPolicy p = PlannerPolicy.DEFAULT;
    policies.put(new PlannerPolicy(true, 0, p.maxDeferralH(), p.safetyMarginFraction(), p.safetyMarginMinS(), p.horizonH(),
        p.slotMinutes(), Map.of("noisy", 1, "exact", 1), List.of(), p.onlineReserve(), p.onlineReserveFromHistory(), p.onlineReserveMin(),
        p.onlineReserveHeadroom(), p.onlineReserveHeadroomFullH(), p.onlineReserveHeadroomNoneH(),
        p.forecastSmoothing()), "test", T0);
    PlanningService planning = new PlanningService(db, view, policies, List.of("noisy", "exact"), StateChangeListener.NONE,
        Clock.fixed(T0, ZoneOffset.UTC), Duration.ofSeconds(60), Duration.ofSeconds(30), "test-node");
    JobQueue queue = new JobQueue(db, attempt -> Duration.ofSeconds(10));
    UUID account = new JobFactory(db, queue).account();
    UUID noisyJob = ExpectedArrivalsTickTest.insert(db, queue, account, T0.minusSeconds(60), 1000, T0.plus(Duration.ofHours(23)), "noisy");
    UUID exactJob = ExpectedArrivalsTickTest.insert(db, queue, account, T0.minusSeconds(60), 1000, T0.plus(Duration.ofHours(23)), "exact");

    planning.tick(T0);

    assertThat(view.smoothing("noisy", T0, true).smooths()).isTrue();
    assertThat(view.smoothing("exact", T0, true).smooths()).isFalse();
    assertThat(ExpectedArrivalsTickTest.plannedStart(db, exactJob)).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(expectedGPerKwh(db, exactJob)).isEqualTo(100.0);
    assertThat(ExpectedArrivalsTickTest.plannedStart(db, noisyJob)).isBetween(T0.plus(Duration.ofHours(6)), T0.plus(Duration.ofHours(9)));
    // what the plan expects is the smoothed forecast: between the dip's 180 and the grid's 300
    assertThat(expectedGPerKwh(db, noisyJob)).isBetween(180.0, 300.0);

    // the admin turns smoothing off: the next tick plans on the forecast as it comes
    List<PolicyJson.Problem> problems = new ArrayList<>();
    policies.put(PolicyJson.merge(policies.current(), new io.vertx.core.json.JsonObject().put("forecast_smoothing", false),
        List.of("noisy", "exact"), problems), "test", T0);
    assertThat(problems).isEmpty();
    planning.tick(T0);
    assertThat(ExpectedArrivalsTickTest.plannedStart(db, noisyJob)).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(expectedGPerKwh(db, noisyJob)).isEqualTo(100.0);
  }

  /** Hourly vintages over the last 80 hours, each 48 h long with {@code believed} values, and the actuals (300). */
  private static void record(ForecastStore store, String region, Function<Instant, Double> believed) {
    for (Instant made = T0.minus(Duration.ofHours(80)); made.isBefore(T0); made = made.plus(HOUR)) {
      store.save(new ForecastSnapshot(region, "test", Signal.AVERAGE, made, hourly(made, 48, believed),
          hourly(made.minus(HOUR), 1, t -> 300.0)), made);
    }
  }

  private static double expectedGPerKwh(Database db, UUID id) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT (plan ->> 'expected_g_per_kwh')::float8 FROM jobs WHERE id = ?")) {
        ps.setObject(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getDouble(1);
        }
      }
    });
  }
}
