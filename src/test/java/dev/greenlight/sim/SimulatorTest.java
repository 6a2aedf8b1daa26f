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
   * misses none and waits 646 s with a flat 30 % online reserve. Keeping the reserve where yesterday's online jobs
   * came ({@link dev.greenlight.planner.ExpectedOnlineLoad}) keeps more of the afternoon peak for them: 252 s. Since
   * the clean slots take the most power-hungry work first: 264 s, and 486 s with the flat reserve.
   */
  @Test
  void nearTheGpusLimitNoDeadlineIsMissedAndOnlineJobsWaitMinutesNotHalfHours() throws Exception {
    String[] args = {"--trace", "es=" + ES, "--gpus", "es=2", "--synthetic", "16000", "--load", "0.8", "--seed", "7",
        "--policies", "fifo,greenlight"};
    JsonObject greenlight = SimulateCommand.simulate(args).getJsonObject("policies").getJsonObject("greenlight");
    assertThat(greenlight.getInteger("deadline_misses")).isZero();
    assertThat(greenlight.getDouble("p95_delay_s")).isLessThan(400.0);
    assertThat(greenlight.getDouble("savings_vs_fifo")).isPositive();
    String[] flat = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--policy",
        "online_reserve_from_history=false")).toArray(String[]::new);
    JsonObject flatReserve = SimulateCommand.simulate(flat).getJsonObject("policies").getJsonObject("greenlight");
    assertThat(flatReserve.getInteger("deadline_misses")).isZero();
    assertThat(flatReserve.getDouble("p95_delay_s")).isGreaterThan(1.5 * greenlight.getDouble("p95_delay_s"));
  }

  /**
   * A replayed service that ran a day before the workload: it learns from that day's submissions and forecasts, but
   * the day is not replayed, so the same jobs run from idle GPUs and the baselines and the bound are unchanged.
   */
  @Test
  void aServiceWithADayOfHistoryReplaysTheSameJobsAndPlansWithWhatItSawBefore() throws Exception {
    String[] cold = {"--trace", "de=" + DE, "--gpus", "de=2", "--synthetic", "3000", "--seed", "3", "--policies", "fifo,greenlight,oracle"};
    String[] warm = java.util.stream.Stream.concat(java.util.Arrays.stream(cold), java.util.stream.Stream.of("--history-days", "1"))
        .toArray(String[]::new);
    JsonObject c = SimulateCommand.simulate(cold);
    JsonObject w = SimulateCommand.simulate(warm);
    assertThat(c.getInteger("history_jobs")).isZero();
    assertThat(w.getDouble("history_days")).isEqualTo(1.0);
    assertThat(w.getInteger("jobs")).isEqualTo(3000);
    assertThat(w.getString("from")).isEqualTo(c.getString("from"));
    // about a day of the same process: 3000 jobs span about 1.3 days
    double perDay = 3000 / (java.time.Duration.between(Instant.parse(c.getString("from")), Instant.parse(c.getString("to"))).toSeconds() / 86_400.0);
    assertThat((double) w.getInteger("history_jobs")).isBetween(0.7 * perDay, 1.3 * perDay);
    for (String policy : List.of("fifo", "oracle")) {
      assertThat(w.getJsonObject("policies").getJsonObject(policy).getDouble("carbon_g"))
          .isEqualTo(c.getJsonObject("policies").getJsonObject(policy).getDouble("carbon_g"));
    }
    JsonObject g = w.getJsonObject("policies").getJsonObject("greenlight");
    assertThat(g.getInteger("deadline_misses")).isZero();
    // the first day now has a yesterday to forecast arrivals and online load from: a different plan
    assertThat(g.getDouble("carbon_g")).isNotEqualTo(c.getJsonObject("policies").getJsonObject("greenlight").getDouble("carbon_g"));
    assertThatThrownBy(() -> SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--synthetic", "10", "--history-days", "8"}))
        .hasMessageContaining("--history-days must be from 0 to 7");
    // a workload file: the jobs before --start are the history
    Path csv = Files.createTempFile("workload", ".csv");
    List<SimJob> file = Workload.synthetic(50, Instant.parse("2020-03-01T00:00:00Z"), 2, 0.6, 0.7, List.of("de"), new CostModel(
        CalibrationProfile.packaged()), 9);
    Workload.write(file, csv);
    assertThatThrownBy(() -> SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--workload", csv.toString(), "--history-days", "1"}))
        .hasMessageContaining("needs --start");
    JsonObject split = SimulateCommand.simulate(new String[] {"--trace", "de=" + DE, "--gpus", "de=2", "--workload", csv.toString(),
        "--history-days", "1", "--start", file.get(20).submit().toString(), "--policies", "fifo,greenlight"});
    assertThat(split.getInteger("history_jobs")).isEqualTo(20);
    assertThat(split.getInteger("jobs")).isEqualTo(30);
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
