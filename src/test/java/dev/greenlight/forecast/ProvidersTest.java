package dev.greenlight.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every HTTP provider against a local server answering the real response shapes, and the ways they fail. */
class ProvidersTest {
  final Instant now = Instant.parse("2026-11-26T12:00:00Z");
  final Duration timeout = Duration.ofMillis(800);
  FakeProviderServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeProviderServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  static final String UK_NATIONAL = """
      {"data":[
        {"from":"2026-11-26T11:30Z","to":"2026-11-26T12:00Z","intensity":{"forecast":180,"actual":176,"index":"moderate"}},
        {"from":"2026-11-26T12:00Z","to":"2026-11-26T12:30Z","intensity":{"forecast":170,"actual":null,"index":"moderate"}},
        {"from":"2026-11-26T12:30Z","to":"2026-11-26T13:00Z","intensity":{"forecast":150,"actual":null,"index":"moderate"}},
        {"from":"2026-11-26T13:00Z","to":"2026-11-26T13:30Z","intensity":{"forecast":120,"actual":null,"index":"low"}},
        {"from":"2026-11-26T13:30Z","to":"2026-11-26T14:00Z","intensity":{"forecast":110,"actual":null,"index":"low"}}]}""";

  @Test
  void ukNationalForecastAndActuals() throws Exception {
    server.json("/intensity/2026-11-26T12:00Z/fw48h", 200, UK_NATIONAL);
    ForecastSnapshot s = new UkCarbonIntensityProvider("gb", server.base(), null, timeout).fetch(now, 48);
    assertThat(s.forecast()).hasSize(5);
    assertThat(s.forecast().get(3).gPerKwh()).isEqualTo(120);
    assertThat(s.forecast().get(3).start()).isEqualTo(Instant.parse("2026-11-26T13:00:00Z"));
    assertThat(s.actuals()).singleElement().satisfies(p -> assertThat(p.gPerKwh()).isEqualTo(176));
    assertThat(s.signal()).isEqualTo(Signal.AVERAGE);
    ForecastValidator.check(s, now);
  }

  @Test
  void ukRegionalNestsItsPoints() throws Exception {
    server.json("/regional/intensity/2026-11-26T12:00Z/fw48h/regionid/13", 200, """
        {"data":{"regionid":13,"dnoregion":"UKPN London","shortname":"London","data":[
          {"from":"2026-11-26T12:00Z","to":"2026-11-26T12:30Z","intensity":{"forecast":201,"index":"high"},"generationmix":[]},
          {"from":"2026-11-26T12:30Z","to":"2026-11-26T13:00Z","intensity":{"forecast":190,"index":"high"},"generationmix":[]},
          {"from":"2026-11-26T13:00Z","to":"2026-11-26T13:30Z","intensity":{"forecast":185,"index":"high"},"generationmix":[]}]}}""");
    ForecastSnapshot s = new UkCarbonIntensityProvider("london", server.base(), 13, timeout).fetch(now, 48);
    assertThat(s.forecast()).extracting(IntensityPoint::gPerKwh).containsExactly(201.0, 190.0, 185.0);
    assertThat(s.actuals()).isEmpty();
  }

  @Test
  void electricityMapsSendsTheTokenAndReadsForecastAndHistory() throws Exception {
    server.json("/v3/carbon-intensity/forecast", 200, """
        {"zone":"DE","forecast":[{"carbonIntensity":320,"datetime":"2026-11-26T12:00:00.000Z"},
          {"carbonIntensity":290,"datetime":"2026-11-26T13:00:00.000Z"},{"carbonIntensity":250,"datetime":"2026-11-26T14:00:00.000Z"}],
         "updatedAt":"2026-11-26T11:55:00.000Z"}""");
    server.json("/v3/carbon-intensity/history", 200, """
        {"zone":"DE","history":[{"carbonIntensity":330,"datetime":"2026-11-26T10:00:00.000Z"},
          {"carbonIntensity":325,"datetime":"2026-11-26T11:00:00.000Z"}]}""");
    ForecastSnapshot s = new ElectricityMapsProvider("de", server.base(), "DE", "secret-token", timeout).fetch(now, 48);
    assertThat(s.forecast()).extracting(IntensityPoint::gPerKwh).containsExactly(320.0, 290.0, 250.0);
    assertThat(s.forecast().getLast().end()).isEqualTo(Instant.parse("2026-11-26T15:00:00Z"));
    assertThat(s.actuals()).hasSize(2);
    assertThat(s.madeAt()).isEqualTo(Instant.parse("2026-11-26T11:55:00Z"));
    assertThat(server.requests).allSatisfy(r -> {
      assertThat(r.getHeader("auth-token")).isEqualTo("secret-token");
      assertThat(r.getParam("zone")).isEqualTo("DE");
    });
  }

  @Test
  void wattTimeLogsInConvertsPoundsPerMwhAndSaysMarginal() throws Exception {
    server.json("/login", 200, "{\"token\":\"bearer-123\"}");
    server.json("/v3/forecast", 200, """
        {"data":[{"point_time":"2026-11-26T12:00:00+00:00","value":900.0},{"point_time":"2026-11-26T12:05:00+00:00","value":880.0},
          {"point_time":"2026-11-26T13:30:00+00:00","value":700.0}],
         "meta":{"region":"CAISO_NORTH","signal_type":"co2_moer","units":"lbs_co2_per_mwh","data_point_period_seconds":300,
          "generated_at":"2026-11-26T11:58:00+00:00"}}""");
    ForecastSnapshot s = new WattTimeProvider("caiso", server.base(), "CAISO_NORTH", "user", "pw", timeout).fetch(now, 48);
    assertThat(s.signal()).isEqualTo(Signal.MARGINAL);
    assertThat(s.forecast().getFirst().gPerKwh()).isCloseTo(900 * 0.45359237, within(1e-9));
    assertThat(s.forecast().getFirst().end()).isEqualTo(Instant.parse("2026-11-26T12:05:00Z"));
    assertThat(server.requests.get(0).getHeader("Authorization")).startsWith("Basic ");
    assertThat(server.requests.get(1).getHeader("Authorization")).isEqualTo("Bearer bearer-123");
    assertThat(server.requests.get(1).getParam("signal_type")).isEqualTo("co2_moer");
  }

  @Test
  void wattTimeRejectsUnknownUnits() {
    server.json("/login", 200, "{\"token\":\"t\"}");
    server.json("/v3/forecast", 200, "{\"data\":[{\"point_time\":\"2026-11-26T12:00:00+00:00\",\"value\":55}],\"meta\":{\"units\":\"percent\"}}");
    assertThatThrownBy(() -> new WattTimeProvider("c", server.base(), "X", "u", "p", timeout).fetch(now, 48))
        .isInstanceOf(ForecastException.class).hasMessageContaining("unexpected units 'percent'");
  }

  @Test
  void carbonAwareSdkReadsForecastData() throws Exception {
    server.json("/emissions/forecasts/current", 200, """
        [{"generatedAt":"2026-11-26T11:55:00Z","location":"eastus","dataStartAt":"2026-11-26T12:00:00Z","dataEndAt":"2026-11-27T12:00:00Z",
          "windowSize":5,"optimalDataPoints":[],
          "forecastData":[{"location":"eastus","timestamp":"2026-11-26T12:00:00Z","duration":30,"value":410.5},
            {"location":"eastus","timestamp":"2026-11-26T12:30:00Z","duration":30,"value":395.0},
            {"location":"eastus","timestamp":"2026-11-26T13:00:00Z","duration":30,"value":380.0}]}]""");
    ForecastSnapshot s = new CarbonAwareSdkProvider("us-east", server.base(), "eastus", timeout).fetch(now, 48);
    assertThat(s.forecast()).extracting(IntensityPoint::gPerKwh).containsExactly(410.5, 395.0, 380.0);
    assertThat(s.forecast().get(1).end()).isEqualTo(Instant.parse("2026-11-26T13:00:00Z"));
    assertThat(server.requests.getFirst().getParam("location")).isEqualTo("eastus");
  }

  @Test
  void failuresAreClearForecastExceptions() {
    String path = "/intensity/2026-11-26T12:00Z/fw48h";
    UkCarbonIntensityProvider uk = new UkCarbonIntensityProvider("gb", server.base(), null, timeout);
    server.routes.put(path, req -> req.response().setStatusCode(429).putHeader("Retry-After", "30").end());
    assertThatThrownBy(() -> uk.fetch(now, 48)).isInstanceOf(ForecastException.class).hasMessageContaining("429").hasMessageContaining("30");
    server.json(path, 500, "{\"error\":\"boom\"}");
    assertThatThrownBy(() -> uk.fetch(now, 48)).isInstanceOf(ForecastException.class).hasMessageContaining("HTTP 500");
    server.json(path, 200, UK_NATIONAL.substring(0, 120));
    assertThatThrownBy(() -> uk.fetch(now, 48)).isInstanceOf(ForecastException.class).hasMessageContaining("not valid JSON");
    server.json(path, 200, "{\"data\":[{\"from\":\"yesterday\",\"to\":\"2026-11-26T12:30Z\",\"intensity\":{\"forecast\":1}}]}");
    assertThatThrownBy(() -> uk.fetch(now, 48)).isInstanceOf(ForecastException.class).hasMessageContaining("not an ISO-8601 time");
    server.json(path, 200, "{\"data\":[{\"from\":\"2026-11-26T12:00Z\",\"to\":\"2026-11-26T12:30Z\",\"intensity\":{\"forecast\":\"high\"}}]}");
    assertThatThrownBy(() -> uk.fetch(now, 48)).isInstanceOf(ForecastException.class).hasMessageContaining("'forecast' to be a number");
    server.silent(path);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> uk.fetch(now, 48)).isInstanceOf(ForecastException.class).hasMessageContaining("no answer");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void wrongUnitsAndShortForecastsAreRejectedByTheValidator() throws Exception {
    // an answer in mg/kWh (1000x): implausible
    server.json("/v3/carbon-intensity/forecast", 200, """
        {"zone":"DE","forecast":[{"carbonIntensity":320000,"datetime":"2026-11-26T12:00:00.000Z"},
          {"carbonIntensity":290000,"datetime":"2026-11-26T13:00:00.000Z"}]}""");
    server.json("/v3/carbon-intensity/history", 200, "{\"zone\":\"DE\",\"history\":[]}");
    ForecastSnapshot s = new ElectricityMapsProvider("de", server.base(), "DE", "t", timeout).fetch(now, 48);
    assertThatThrownBy(() -> ForecastValidator.check(s, now)).isInstanceOf(ForecastException.class).hasMessageContaining("implausible");
    server.json("/emissions/forecasts/current", 200, "[{\"forecastData\":[{\"timestamp\":\"2026-11-26T12:00:00Z\",\"duration\":30,\"value\":400}]}]");
    ForecastSnapshot shortOne = new CarbonAwareSdkProvider("x", server.base(), "eastus", timeout).fetch(now, 48);
    assertThatThrownBy(() -> ForecastValidator.check(shortOne, now)).isInstanceOf(ForecastException.class).hasMessageContaining("less than an hour");
  }
}
