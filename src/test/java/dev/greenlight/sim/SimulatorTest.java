package dev.greenlight.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.costmodel.CalibrationProfile;
import dev.greenlight.costmodel.CostModel;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replays on a shipped trace: the production planner against the baselines and the lower bound. */
class SimulatorTest {
  static final String DE = "config/traces/DE_2020_lwa_15min.csv";
  static final String ES = "config/traces/ES_2022_em_hourly.csv";

  @Test
  void replayOnAShippedTrace() throws Exception {
    Path out = Files.createTempFile("report", ".json");
    // 2.4 days: past the first day, the planner's forecast of arrivals works from yesterday's submissions
    JsonObject r = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "8000",
        "--seed", "3", "--out", out.toString()});
    assertThat(new JsonObject(Files.readString(out))).isEqualTo(r);
    assertThat(r.getInteger("jobs")).isEqualTo(8000);
    assertThat(r.getString("arrival_forecast")).isEqualTo("last-day");
    assertThat(r.getString("workload_end")).isEqualTo("known");
    assertThat(r.getString("forecast_smoothing")).isEqualTo("auto");
    JsonObject p = r.getJsonObject("policies");
    assertThat(p.fieldNames()).containsExactlyInAnyOrder("fifo", "jobrunr", "sdk", "greenlight", "oracle");
    double fifo = p.getJsonObject("fifo").getDouble("carbon_g");
    double greenlight = p.getJsonObject("greenlight").getDouble("carbon_g");
    double oracle = p.getJsonObject("oracle").getDouble("carbon_g");
    assertThat(p.getJsonObject("greenlight").getInteger("deadline_misses")).isZero();
    assertThat(greenlight).isLessThan(fifo);
    assertThat(greenlight).isLessThan(p.getJsonObject("jobrunr").getDouble("carbon_g"));
    for (String policy : List.of("fifo", "jobrunr", "sdk", "greenlight")) {
      assertThat(oracle).as("the oracle bounds %s", policy).isLessThanOrEqualTo(p.getJsonObject(policy).getDouble("carbon_g"));
    }
    assertThat(p.getJsonObject("greenlight").getDouble("fraction_of_oracle")).isBetween(0.8, 1.0);
    assertThat(r.getDouble("planner_ms_per_tick_p95")).isPositive();
  }

  /**
   * At 80 % load the diurnal peak asks for 1.2 times the GPUs. With at-risk releases sharing a rank with online jobs
   * and planned releases served in release order, this replay missed one deadline and its online p95 wait was
   * 1,724 s; deadline-due work first, then online jobs, then the rest by EDF ({@link dev.greenlight.queue.ClaimRank})
   * misses none and waits 734 s.
   */
  @Test
  void nearTheGpusLimitNoDeadlineIsMissedAndOnlineJobsWaitMinutesNotHalfHours() throws Exception {
    JsonObject r = SimulateCommand.simulate(new String[] {"--trace", "es=" + ES, "--gpus", "es=2", "--synthetic", "16000",
        "--load", "0.8", "--seed", "7", "--policies", "fifo,greenlight"});
    JsonObject greenlight = r.getJsonObject("policies").getJsonObject("greenlight");
    assertThat(greenlight.getInteger("deadline_misses")).isZero();
    assertThat(greenlight.getDouble("p95_delay_s")).isLessThan(900.0);
    assertThat(greenlight.getDouble("savings_vs_fifo")).isPositive();
  }

  @Test
  void theOracleDecidingOnANoisyForecastGivesPartOfItsSavingAway() throws Exception {
    JsonObject r = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "3000",
        "--seed", "5", "--forecast-error", "gaussian:0.3", "--policies", "fifo,greenlight,oracle"});
    JsonObject p = r.getJsonObject("policies");
    assertThat(p.fieldNames()).containsExactlyInAnyOrder("fifo", "greenlight", "oracle", "oracle_forecast");
    JsonObject onForecast = p.getJsonObject("oracle_forecast");
    assertThat(onForecast.getDouble("carbon_g")).isGreaterThan(p.getJsonObject("oracle").getDouble("carbon_g"));
    assertThat(onForecast.getDouble("fraction_of_oracle")).isLessThan(1.0);
    assertThat(onForecast.getString("note")).contains("not a bound", "12 h ahead");

    JsonObject perfect = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "3000",
        "--seed", "5", "--policies", "fifo,oracle"});
    assertThat(perfect.getJsonObject("policies").fieldNames()).containsExactlyInAnyOrder("fifo", "oracle");
    assertThat(perfect.getJsonObject("policies").getJsonObject("oracle").getDouble("carbon_g"))
        .isEqualTo(p.getJsonObject("oracle").getDouble("carbon_g"));
  }

  /**
   * With a noisy forecast (independent 10 % errors per point), the planner that smooths it by its track record
   * emits less than the one that takes it as it comes; with a perfect forecast the two are the same planner.
   */
  @Test
  void smoothingANoisyForecastByItsTrackRecordSavesCarbon() throws Exception {
    JsonObject smoothed = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "8000",
        "--seed", "3", "--forecast-error", "gaussian:0.10", "--policies", "fifo,greenlight"});
    JsonObject raw = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "8000",
        "--seed", "3", "--forecast-error", "gaussian:0.10", "--policies", "fifo,greenlight", "--forecast-smoothing", "off"});
    assertThat(raw.getString("forecast_smoothing")).isEqualTo("off");
    JsonObject byPolicy = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "8000",
        "--seed", "3", "--forecast-error", "gaussian:0.10", "--policies", "greenlight", "--policy", "forecast_smoothing=false"});
    assertThat(byPolicy.getString("forecast_smoothing")).isEqualTo("off");
    assertThat(byPolicy.getJsonObject("policies").getJsonObject("greenlight").getDouble("carbon_g"))
        .isEqualTo(raw.getJsonObject("policies").getJsonObject("greenlight").getDouble("carbon_g"));
    JsonObject s = smoothed.getJsonObject("policies").getJsonObject("greenlight");
    JsonObject w = raw.getJsonObject("policies").getJsonObject("greenlight");
    assertThat(s.getInteger("deadline_misses")).isZero();
    assertThat(s.getDouble("carbon_g")).isLessThan(w.getDouble("carbon_g"));

    JsonObject perfect = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "3000",
        "--seed", "3", "--policies", "greenlight"});
    JsonObject perfectRaw = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "3000",
        "--seed", "3", "--policies", "greenlight", "--forecast-smoothing", "off"});
    assertThat(perfect.getJsonObject("policies").getJsonObject("greenlight").getDouble("carbon_g"))
        .isEqualTo(perfectRaw.getJsonObject("policies").getJsonObject("greenlight").getDouble("carbon_g"));
  }

  @Test
  void workloadCsvRoundTripsAndIsValidated() throws Exception {
    CostModel model = new CostModel(CalibrationProfile.packaged());
    List<SimJob> jobs = Workload.synthetic(200, Instant.parse("2020-03-01T00:00:00Z"), 2, 0.6, 0.7, List.of("de"), model, 9);
    Path csv = Files.createTempFile("workload", ".csv");
    Workload.write(jobs, csv);
    List<SimJob> back = Workload.read(csv, model);
    assertThat(back).hasSize(200);
    assertThat(back.get(17).submit()).isEqualTo(jobs.get(17).submit());
    assertThat(back.get(17).energyJ()).isEqualTo(jobs.get(17).energyJ());
    assertThat(back.stream().filter(j -> j.deadline() != null).count()).isBetween(100L, 180L);
    Files.writeString(csv, "submit_time,mode,resolution,duration_s,steps,deadline,regions\n2020-03-01T00:00:00Z,offline,240p,2,50,,de\n");
    assertThatThrownBy(() -> Workload.read(csv, model)).hasMessageContaining("offline jobs need a deadline");
    assertThatThrownBy(() -> SimulateCommand.simulate(new String[] {"--gpus", "de=2"})).hasMessageContaining("--trace");
    assertThatThrownBy(() -> SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--synthetic", "10", "--policy", "online_reserve=5"}))
        .hasMessageContaining("online_reserve must be from 0 to 0.9");
    assertThatThrownBy(() -> SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--synthetic", "10", "--arrival-forecast", "psychic"}))
        .hasMessageContaining("--arrival-forecast must be last-day or none");
    assertThatThrownBy(() -> SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--synthetic", "10", "--workload-end", "maybe"}))
        .hasMessageContaining("--workload-end must be known or unknown");
    assertThatThrownBy(() -> SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--synthetic", "10", "--forecast-smoothing", "on"}))
        .hasMessageContaining("--forecast-smoothing must be auto or off");
  }
}
