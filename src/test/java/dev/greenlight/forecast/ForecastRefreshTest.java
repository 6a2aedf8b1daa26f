package dev.greenlight.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.db.Database;
import dev.greenlight.testing.MigratedDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failing provider never crashes anything: the last good forecast serves while fresh, then none, with warnings. */
class ForecastRefreshTest {
  @RegisterExtension
  static final MigratedDatabase DATABASE = MigratedDatabase.perClass("forecast-test");

  @Test
  void lastGoodForecastServesUntilStaleAndEveryVintageIsKept() {
    AtomicReference<Instant> time = new AtomicReference<>(Instant.parse("2026-11-26T12:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return time.get();
      }
    };
    AtomicReference<String> failure = new AtomicReference<>();
    ForecastProvider flaky = new ForecastProvider() {
      @Override
      public String name() {
        return "flaky";
      }

      @Override
      public ForecastSnapshot fetch(Instant now, int horizonHours) throws ForecastException {
        if (failure.get() != null) {
          throw new ForecastException(failure.get());
        }
        return new ForecastSnapshot("zz", name(), Signal.AVERAGE, now,
            List.of(new IntensityPoint(now, now.plus(Duration.ofHours(horizonHours)), 123)),
            List.of(new IntensityPoint(now.minusSeconds(3600), now, 150)));
      }
    };
    Database db = DATABASE.db();
    ForecastStore store = new ForecastStore(db);
    ForecastRefresher refresher = new ForecastRefresher(Map.of("zz", flaky), store, clock, 48, 2, Duration.ofMillis(1));
    ForecastView view = new ForecastView(store, Map.of("zz", flaky), Duration.ofHours(3));

    assertThat(refresher.refreshAll()).isEqualTo(1);
    assertThat(view.current("zz", time.get()).forecast()).isPresent();
    assertThat(view.current("zz", time.get()).warnings()).isEmpty();

    time.set(time.get().plus(Duration.ofHours(1)));
    failure.set("flaky: HTTP 503 from example");
    assertThat(refresher.refreshAll()).isZero();
    ForecastView.RegionForecast degraded = view.current("zz", time.get());
    assertThat(degraded.forecast()).isPresent(); // still fresh: kept
    assertThat(degraded.warnings()).anyMatch(w -> w.contains("HTTP 503"));
    assertThat(degraded.status().orElseThrow().consecutiveFailures()).isEqualTo(1);

    time.set(time.get().plus(Duration.ofHours(3)));
    ForecastView.RegionForecast stale = view.current("zz", time.get());
    assertThat(stale.forecast()).isEmpty();
    assertThat(stale.warnings()).anyMatch(w -> w.contains("older than 180 minutes"));

    failure.set(null);
    assertThat(refresher.refreshAll()).isEqualTo(1);
    assertThat(view.current("zz", time.get()).warnings()).isEmpty();
    assertThat(store.actuals("zz", Instant.parse("2026-11-26T00:00:00Z"), time.get())).hasSize(2);
    int vintages = db.withConnection(c -> {
      try (var ps = c.prepareStatement("SELECT count(*) FROM forecast_vintages WHERE region = 'zz'"); var rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    });
    assertThat(vintages).isEqualTo(2);
  }

  @Test
  void aRegionWithoutProviderSaysSo() {
    ForecastView view = new ForecastView(new ForecastStore(DATABASE.db()), Map.of(), Duration.ofHours(3));
    assertThat(view.current("nowhere", Instant.now()).warnings()).singleElement().asString().contains("no forecast provider");
  }
}
