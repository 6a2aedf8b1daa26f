package dev.greenlight.scheduler;

import dev.greenlight.forecast.ForecastRefresher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz with the clustered JDBC JobStore over the node's own connection pool: every node runs a scheduler, and each
 * firing of plan-and-release, forecast refresh, rescue and prune is taken by exactly one of them. When a node dies,
 * the others notice within the cluster check-in interval and the schedule goes on.
 */
public final class ClusterScheduler implements AutoCloseable {
  private final Scheduler scheduler;

  /** The intervals of the four schedules. */
  public record Intervals(Duration planning, Duration forecastRefresh, Duration rescue, Duration prune) {}

  public ClusterScheduler(String nodeId, DataSource pool, long clusterCheckinMs, Intervals intervals, PlanningService planning,
      ForecastRefresher refresher, QueueHousekeeping housekeeping) {
    String dataSource = "greenlight-" + nodeId;
    DBConnectionManager.getInstance().addConnectionProvider(dataSource, new PoolProvider(pool));
    Properties props = defaults();
    props.setProperty("org.quartz.scheduler.instanceId", nodeId);
    props.setProperty("org.quartz.jobStore.dataSource", dataSource);
    props.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(clusterCheckinMs));
    try {
      StdSchedulerFactory factory = new StdSchedulerFactory(props);
      scheduler = factory.getScheduler();
      // Quartz keeps one scheduler per name in a JVM-wide registry; nodes sharing a JVM (tests) each need their own
      SchedulerRepository.getInstance().remove(scheduler.getSchedulerName());
      Map<Class<? extends Job>, Job> jobs = Map.of(
          GreenlightJobs.PlanAndRelease.class, new GreenlightJobs.PlanAndRelease(planning),
          GreenlightJobs.RefreshForecasts.class, new GreenlightJobs.RefreshForecasts(refresher,
              intervals.forecastRefresh().dividedBy(10)),
          GreenlightJobs.Rescue.class, new GreenlightJobs.Rescue(housekeeping),
          GreenlightJobs.Prune.class, new GreenlightJobs.Prune(housekeeping));
      scheduler.setJobFactory((bundle, s) -> jobs.get(bundle.getJobDetail().getJobClass()));
      schedule(GreenlightJobs.PlanAndRelease.class, "plan-and-release", intervals.planning());
      schedule(GreenlightJobs.RefreshForecasts.class, "forecast-refresh", intervals.forecastRefresh());
      schedule(GreenlightJobs.Rescue.class, "rescue", intervals.rescue());
      schedule(GreenlightJobs.Prune.class, "prune", intervals.prune());
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot start Quartz: " + e.getMessage(), e);
    }
  }

  public void start() {
    try {
      scheduler.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot start Quartz: " + e.getMessage(), e);
    }
  }

  /** Fires a schedule now, on whichever node takes it (tests and operators). */
  public void fireNow(String name) {
    try {
      scheduler.triggerJob(org.quartz.JobKey.jobKey(name, "greenlight"));
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  private void schedule(Class<? extends Job> type, String name, Duration every) throws SchedulerException {
    JobDetail job = JobBuilder.newJob(type).withIdentity(name, "greenlight").storeDurably().build();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, "greenlight").forJob(job).startNow()
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(every.toMillis()).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
    // every node declares the same schedules; replacing keeps them in step with the configuration
    scheduler.scheduleJob(job, java.util.Set.of(trigger), true);
  }

  private static Properties defaults() {
    Properties p = new Properties();
    Path onDisk = Path.of("config/quartz.properties");
    try (InputStream in = Files.isRegularFile(onDisk) ? Files.newInputStream(onDisk)
        : ClusterScheduler.class.getClassLoader().getResourceAsStream("config/quartz.properties")) {
      if (in == null) {
        throw new IllegalStateException("config/quartz.properties is missing");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Stops firing; waits for running jobs when {@code graceful}. */
  public void stop(boolean graceful) {
    try {
      scheduler.shutdown(graceful);
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop(true);
  }

  private static final class PoolProvider implements ConnectionProvider {
    private final DataSource pool;

    PoolProvider(DataSource pool) {
      this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return pool.getConnection();
    }

    @Override
    public void shutdown() {
      // the node closes its pool itself
    }

    @Override
    public void initialize() {
      // the pool is ready
    }
  }
}
