package dev.greenlight.app;

import dev.greenlight.account.ApiKeys;
import dev.greenlight.api.ApiServices;
import dev.greenlight.api.ApiVerticle;
import dev.greenlight.api.JobRequestParser;
import dev.greenlight.api.JobSubmission;
import dev.greenlight.cluster.ClusterSetup;
import dev.greenlight.cluster.EventBusAnnouncer;
import dev.greenlight.config.GreenlightConfig;
import dev.greenlight.costmodel.CalibrationProfile;
import dev.greenlight.costmodel.CostModel;
import dev.greenlight.db.Database;
import dev.greenlight.db.DbExecutor;
import dev.greenlight.db.EmbeddedDatabase;
import dev.greenlight.db.Migrations;
import dev.greenlight.engine.GpuSlots;
import dev.greenlight.engine.ProfileEngine;
import dev.greenlight.queue.ExponentialBackoff;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.queue.JobStore;
import dev.greenlight.queue.QueueMaintenance;
import dev.greenlight.forecast.ForecastProvider;
import dev.greenlight.forecast.ForecastRefresher;
import dev.greenlight.forecast.ForecastStore;
import dev.greenlight.forecast.ForecastView;
import dev.greenlight.forecast.ProviderSpecs;
import dev.greenlight.scheduler.ClusterScheduler;
import dev.greenlight.scheduler.PlanningService;
import dev.greenlight.scheduler.PolicyStore;
import dev.greenlight.scheduler.QueueHousekeeping;
import dev.greenlight.worker.WorkerPool;
import dev.greenlight.worker.WorkerRegistry;
import dev.greenlight.worker.WorkerSettings;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Greenlight node: database (embedded or configured), migrations, Vert.x (clustered or not), the API, the
 * worker slots and the queue's housekeeping, wired from one {@link GreenlightConfig}.
 */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private final GreenlightConfig config;
  private final String nodeId;
  private EmbeddedDatabase embedded;
  private Database db;
  private Vertx vertx;
  private HazelcastClusterManager clusterManager;
  private DbExecutor dbExecutor;
  private ApiVerticle api;
  private WorkerVerticle worker;
  private ClusterScheduler scheduler;
  private dev.greenlight.engine.torch.TorchEngine torchEngine;
  private dev.greenlight.webhook.WebhookDispatcher webhooks;
  private volatile boolean migrated;
  private volatile boolean crashed;
  private Optional<String> generatedAdminKey = Optional.empty();

  /** Which GPU each worker slot uses (torch on the GPU only). */
  private GpuSlots gpus = GpuSlots.identity();

  private Node(GreenlightConfig config) {
    this.config = config;
    this.nodeId = NodeId.generate();
  }

  /** Starts a node and returns once its API listens and its workers run. */
  public static Node start(GreenlightConfig config, Clock clock) {
    Node node = new Node(config);
    try {
      node.boot(clock);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void boot(Clock clock) {
    gpus = usesGpus(config) ? gpuSlots(config, System.getenv("CUDA_VISIBLE_DEVICES"),
        dev.greenlight.telemetry.NvmlSensor.deviceCount()) : GpuSlots.identity();
    String url = config.db().url();
    String user = config.db().user();
    String password = config.db().password();
    if (config.db().embedded()) {
      embedded = EmbeddedDatabase.start(config.dataDir());
      url = embedded.jdbcUrl();
      user = "postgres";
      password = "";
      LOG.info("embedded PostgreSQL started, data in {}", config.dataDir().resolve("pg").toAbsolutePath().normalize());
    }
    db = new Database(url, user, password, config.db().poolSize(), config.db().connectTimeoutMs(), "greenlight-" + nodeId);
    Migrations.apply(db.dataSource());
    migrated = true;

    VertxOptions options = new VertxOptions();
    if (config.cluster().enabled()) {
      options.getEventBusOptions().setHost(config.cluster().host()).setPort(0);
      clusterManager = ClusterSetup.clusterManager(config.cluster());
      vertx = await(Vertx.builder().with(options).withClusterManager(clusterManager).buildClustered());
    } else {
      vertx = Vertx.vertx(options);
    }
    EventBusAnnouncer.registerCodecs(vertx);
    EventBusAnnouncer announcer = new EventBusAnnouncer(vertx);
    dbExecutor = new DbExecutor(vertx, config.db().poolSize());

    dev.greenlight.credits.Credits credits = new dev.greenlight.credits.Credits(db);
    ApiKeys apiKeys = new ApiKeys(db, clock).onNewAccount((c, accountId, role) -> {
      double opening = role == dev.greenlight.account.Role.ADMIN ? config.credits().adminGrant() : config.credits().initialBalance();
      if (opening > 0) {
        credits.grant(c, accountId, opening, role == dev.greenlight.account.Role.ADMIN ? "bootstrap admin grant" : "opening balance",
            clock.instant());
      }
    });
    generatedAdminKey = apiKeys.bootstrapAdmin(config.adminKey());

    dev.greenlight.footprint.DeviceProfile deviceProfile;
    try {
      deviceProfile = dev.greenlight.footprint.DeviceProfile.load(config.footprint().device());
    } catch (IllegalArgumentException e) {
      throw new dev.greenlight.config.ConfigException("GREENLIGHT_FOOTPRINT_DEVICE: " + e.getMessage());
    }
    CostModel costModel = new CostModel(config.profile().calibration().isBlank() ? CalibrationProfile.packaged()
        : CalibrationProfile.fromFile(Path.of(config.profile().calibration())));
    dev.greenlight.costmodel.CostCorrections corrections = new dev.greenlight.costmodel.CostCorrections(db, clock);
    JobQueue queue = new JobQueue(db, new ExponentialBackoff(config.queue().backoffBaseMs(), config.queue().backoffMaxMs(),
        () -> ThreadLocalRandom.current().nextDouble()));
    JobStore store = new JobStore(db);
    WorkerRegistry registry = new WorkerRegistry(db);

    java.util.Map<String, ForecastProvider> providers;
    try {
      providers = ProviderSpecs.build(config.forecast().providers(), Duration.ofMillis(config.forecast().timeoutMs()));
    } catch (IllegalArgumentException e) {
      throw new dev.greenlight.config.ConfigException(e.getMessage());
    }
    ForecastStore forecastStore = new ForecastStore(db);
    dev.greenlight.artifact.Artifacts artifacts = new dev.greenlight.artifact.Artifacts(db,
        new dev.greenlight.artifact.LocalArtifactStore(config.dataDir().resolve("videos")));
    ForecastView forecastView = new ForecastView(forecastStore, providers, Duration.ofMinutes(config.forecast().staleAfterMinutes()));
    PolicyStore policies = new PolicyStore(db, config.regions());

    dev.greenlight.webhook.UrlGuard urlGuard;
    try {
      urlGuard = new dev.greenlight.webhook.UrlGuard(config.webhook().allowHosts());
    } catch (IllegalArgumentException e) {
      throw new dev.greenlight.config.ConfigException("GREENLIGHT_WEBHOOK_ALLOW_HOSTS: " + e.getMessage());
    }
    dev.greenlight.webhook.WebhookStore webhookStore = new dev.greenlight.webhook.WebhookStore(db);
    // quoting runs on every submission: the pricing, the planner policy and the GPUs online are re-read every few seconds
    Duration fresh = Duration.ofSeconds(3);
    dev.greenlight.credits.QuoteService quotes = new dev.greenlight.credits.QuoteService(
        new dev.greenlight.credits.Pricer(costModel, config.jobs().defaultSteps(), config.jobs().defaultFps()),
        new dev.greenlight.db.Memoized<>(credits::pricing, fresh, clock), forecastView,
        new dev.greenlight.db.Memoized<>(policies::current, fresh, clock),
        new dev.greenlight.db.Memoized<>(() -> onlineGpus(registry, clock), fresh, clock),
        config.regions(), Duration.ofDays(config.jobs().maxDeadlineDays()));
    ApiServices services = new ApiServices(config, clock, dbExecutor, apiKeys, queue, store,
        new JobRequestParser(config.jobs(), config.regions(), costModel,
            (shape, estimate) -> corrections.correct(config.engine(), shape.resolution().wire(), estimate), urlGuard::problem),
        new JobSubmission(queue, store, config.queue().maxAttempts(), Duration.ofSeconds(config.jobs().deadlineMarginS()), quotes, credits),
        registry, announcer, announcer::cancelRequested, this::readiness, forecastView, policies,
        new dev.greenlight.footprint.FootprintStore(db), artifacts, webhookStore, urlGuard, credits, quotes);
    api = new ApiVerticle(services);
    await(vertx.deployVerticle(api));

    if (config.worker().slots() > 0) {
      dev.greenlight.footprint.FootprintRecorder footprints = new dev.greenlight.footprint.FootprintRecorder(
          new dev.greenlight.footprint.FootprintStore(db), deviceProfile, config.footprint());
      dev.greenlight.engine.Engine engine = switch (config.engine()) {
        case "profile" -> new ProfileEngine(costModel, config.profile().timeScale(), config.profile().failureRate());
        case "torch" -> torchEngine = new dev.greenlight.engine.torch.TorchEngine(new dev.greenlight.engine.torch.TorchEngine.Settings(
            config.torch().python(), torchScript(), config.torch().size(), config.torch().device(),
            config.torch().dtype(), config.torch().checkpoint(), Duration.ofMinutes(10), Duration.ofSeconds(config.torch().jobTimeoutS()),
            config.reference().videoFormat())).withGpus(gpus);
        default -> new dev.greenlight.engine.reference.ReferenceEngine(new dev.greenlight.engine.reference.ReferenceEngine.Settings(
            config.reference().width(), config.reference().depth(), 4, 2, config.reference().guidance(), 20261126L,
            config.reference().videoFormat()));
      };
      WorkerPool pool = new WorkerPool(queue, registry, engine, announcer, clock, WorkerSettings.from(config, nodeId),
          config.dataDir().resolve("videos"), footprints)
          .withSensors(sensors())
          .withArtifacts(artifacts)
          .withProgress(announcer)
          .withCorrections(corrections)
          .withCredits(credits);
      worker = new WorkerVerticle(pool, db);
      await(vertx.deployVerticle(worker));
    }
    Duration workerTimeout = Duration.ofMillis(config.queue().rescueAfterMs());
    PlanningService planning = new PlanningService(db, forecastView, policies, config.regions(), announcer, clock,
        Duration.ofSeconds(config.planner().tickSeconds()), workerTimeout, nodeId);
    ForecastRefresher refresher = new ForecastRefresher(providers, forecastStore, clock, config.forecast().horizonHours(),
        config.forecast().attempts(), Duration.ofSeconds(2));
    QueueHousekeeping housekeeping = new QueueHousekeeping(new QueueMaintenance(db, "node:" + nodeId), registry, forecastStore,
        announcer, clock, config.queue(), Duration.ofDays(config.forecast().retentionDays()), artifacts.store());
    scheduler = new ClusterScheduler(nodeId, db.dataSource(), config.planner().clusterCheckinMs(),
        new ClusterScheduler.Intervals(Duration.ofSeconds(config.planner().tickSeconds()),
            Duration.ofMinutes(config.forecast().refreshMinutes()), Duration.ofMillis(config.queue().maintenanceIntervalMs()),
            Duration.ofMinutes(1)),
        planning, refresher, housekeeping);
    scheduler.start();
    webhooks = new dev.greenlight.webhook.WebhookDispatcher(db, store, new dev.greenlight.footprint.FootprintStore(db), urlGuard,
        new dev.greenlight.webhook.RetrySchedule(dev.greenlight.webhook.RetrySchedule.parse(config.webhook().retrySchedule()),
            () -> ThreadLocalRandom.current().nextDouble()),
        clock, nodeId, new dev.greenlight.webhook.WebhookDispatcher.Settings(Duration.ofMillis(config.webhook().timeoutMs()),
            Duration.ofMillis(config.webhook().pollIntervalMs()), Duration.ofDays(config.webhook().disableAfterDays()),
            config.webhook().concurrency(), config.webhook().publicUrl()));
    webhooks.withCredits(credits::jobCredits).start();
    LOG.info("node {} ready on port {} (cluster: {}, worker slots: {} in region {}, engine: {})", nodeId, httpPort(),
        config.cluster().enabled(), config.worker().slots(), config.worker().region(), config.engine());
  }

  private static boolean usesGpus(GreenlightConfig config) {
    return config.engine().equals("torch") && !config.torch().device().equals("cpu") && config.worker().slots() > 0;
  }

  /**
   * One GPU per worker slot: slot i on the i-th GPU of {@code CUDA_VISIBLE_DEVICES} (all GPUs when unset). A node
   * with more slots than GPUs (as far as NVML can tell) does not start: two slots on one GPU would each be charged
   * the other's energy.
   */
  static GpuSlots gpuSlots(GreenlightConfig config, String visibleDevices, Optional<Integer> nvmlGpus) {
    int slots = config.worker().slots();
    try {
      GpuSlots gpus = GpuSlots.fromVisibleDevices(visibleDevices);
      for (int slot = 0; slot < slots; slot++) {
        int gpu = gpus.gpuFor(slot);
        if (nvmlGpus.isPresent() && gpu >= nvmlGpus.get()) {
          throw new IllegalArgumentException("worker slot " + slot + " would run on GPU " + gpu + ", but NVML sees " + nvmlGpus.get());
        }
      }
      return gpus;
    } catch (IllegalArgumentException e) {
      throw new dev.greenlight.config.ConfigException("GREENLIGHT_WORKER_SLOTS: the torch engine runs one job per GPU, one GPU per slot (" + slots
          + " slots): " + e.getMessage());
    }
  }

  /**
   * Each job's power sensor, by slot: its own GPU through NVML for the torch engine on the GPU, else its share of the
   * CPU's (closed when the job ends).
   */
  private java.util.function.IntFunction<dev.greenlight.telemetry.PowerSensor> sensors() {
    double watts = config.telemetry().wattsPerCore();
    double idle = config.telemetry().idleW();
    if (usesGpus(config)) {
      dev.greenlight.telemetry.PowerSensor[] bySlot = new dev.greenlight.telemetry.PowerSensor[config.worker().slots()];
      for (int slot = 0; slot < bySlot.length; slot++) {
        bySlot[slot] = dev.greenlight.telemetry.Sensors.forGpu(gpus.gpuFor(slot), watts, idle);
      }
      return slot -> bySlot[slot];
    }
    // the CPU's energy is shared by the jobs running side by side
    dev.greenlight.telemetry.SharedSensor cpu = new dev.greenlight.telemetry.SharedSensor(dev.greenlight.telemetry.Sensors.forCpu(watts, idle));
    return slot -> cpu.join();
  }

  /** The engine script on disk, or the copy packaged in the jar extracted under the data directory. */
  private Path torchScript() {
    Path onDisk = Path.of(config.torch().script());
    if (java.nio.file.Files.isRegularFile(onDisk)) {
      return onDisk;
    }
    try (java.io.InputStream in = Node.class.getClassLoader().getResourceAsStream("torch/engine.py")) {
      if (in == null) {
        throw new dev.greenlight.config.ConfigException("GREENLIGHT_TORCH_SCRIPT: no " + onDisk + " and none packaged");
      }
      Path extracted = config.dataDir().resolve("torch/engine.py");
      java.nio.file.Files.createDirectories(extracted.getParent());
      java.nio.file.Files.copy(in, extracted, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return extracted;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private java.util.Map<String, Integer> onlineGpus(WorkerRegistry registry, Clock clock) {
    java.util.Map<String, Integer> out = new java.util.HashMap<>();
    for (WorkerRegistry.WorkerInfo w : registry.online(Duration.ofMillis(config.queue().rescueAfterMs()), clock.instant())) {
      out.merge(w.region(), w.slots(), Integer::sum);
    }
    return out;
  }

  private ApiServices.Readiness readiness() {
    boolean database = db.reachable();
    boolean cluster = clusterManager == null || clusterManager.isActive();
    return new ApiServices.Readiness(database, database && migrated, cluster);
  }

  public String nodeId() {
    return nodeId;
  }

  public int httpPort() {
    return api.port();
  }

  public Vertx vertx() {
    return vertx;
  }

  public Database database() {
    return db;
  }

  /** The node's Quartz scheduler (tests fire schedules through it). */
  public ClusterScheduler scheduler() {
    return scheduler;
  }

  /** Stops this node claiming new jobs (a drain); running jobs go on. No-op on a node without slots. */
  public void pauseWorkers() {
    if (worker != null) {
      worker.pool().pause();
    }
  }

  public void resumeWorkers() {
    if (worker != null) {
      worker.pool().resume();
    }
  }

  /** The admin key generated at this start, if this start generated one (first start without GREENLIGHT_ADMIN_KEY). */
  public Optional<String> generatedAdminKey() {
    return generatedAdminKey;
  }

  /** Graceful stop: stop claiming, finish or hand back running jobs, leave the cluster, stop the database. */
  @Override
  public void close() {
    if (crashed) {
      return;
    }
    if (webhooks != null) {
      webhooks.stop();
    }
    if (scheduler != null) {
      try {
        scheduler.stop(true);
      } catch (RuntimeException e) {
        LOG.warn("Quartz did not stop cleanly: {}", e.getMessage());
      }
    }
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
      }
    }
    if (torchEngine != null) {
      torchEngine.close();
    }
    if (dbExecutor != null) {
      dbExecutor.close();
    }
    if (db != null) {
      db.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }

  /**
   * Simulates a node dying without a graceful stop, for fault tests: workers stop mid-job without writing, the
   * database pool is dropped and the cluster membership is terminated, so other nodes must rescue its jobs.
   */
  public void crash() {
    crashed = true;
    if (worker != null) {
      worker.crash();
    }
    if (webhooks != null) {
      webhooks.stop();
    }
    if (scheduler != null) {
      scheduler.stop(false);
    }
    db.abort();
    if (clusterManager != null) {
      clusterManager.getHazelcastInstance().getLifecycleService().terminate();
    }
    vertx.close();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("start failed: " + cause.getMessage(), cause);
    }
  }
}
