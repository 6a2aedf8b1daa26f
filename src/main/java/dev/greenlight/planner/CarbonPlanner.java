package dev.greenlight.planner;

import dev.greenlight.forecast.IntensitySeries;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Chooses a start slot and region for every deferred job: least forecast carbon, within each region's GPU capacity,
 * every job starting by its latest safe start (deadline minus its estimated duration minus the safety margin).
 *
 * <p>Method. Time is cut into slots; a slot's capacity is GPUs x slot length in GPU-seconds, less the work already
 * released. Because every deferred job may start from now on, the windows are nested ([now, latest start]), and a
 * job's carbon is its energy times the slot's intensity. Slots are taken cleanest first; each is filled with the
 * eligible jobs whose latest start is nearest (the most constrained ones), which keeps every later choice
 * feasible. For jobs small against slots this is the optimum of the fractional transportation problem when all jobs
 * draw the same power. They do not (on the H100 profile 540-710 W), so a slot prefers the most power-hungry work
 * where that keeps every unplaced job feasible ({@link RegionQueue#choose}, {@link SlotSlack}). But jobs submitted
 * later will want the same clean hours, so this runs twice:
 * first every slot offers the jobs known now only their share of it, then the jobs still unplaced take the rest. With
 * a forecast of the jobs to come ({@link PlanningInput#expectedArrivals()}) the known and the expected jobs are planned
 * together, exactly (the cheapest fluid schedule with each job at its own power, {@link FluidSchedule}): the slot
 * under way runs the known jobs that schedule runs there and no others ({@link #placeJointPlanNow}), and each later
 * slot's share is the known jobs' work in it: where later arrivals will fill a clean hour, the jobs known now run in
 * the next cleanest one, often now. Without a forecast of arrivals the share falls with lead time
 * ({@link #shareForKnownJobs}). Each pass makes the same safe choice (a unit of capacity goes to the most
 * constrained eligible job), so the first pass moves jobs but never makes one at risk. Jobs that fit nowhere before
 * their latest start are released at once, earliest deadline first, and marked at risk. Pure: no I/O, no clock but
 * {@code input.now()}.
 */
public final class CarbonPlanner {
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final double J_PER_KWH = 3.6e6;

  public Plan plan(PlanningInput input, PlannerPolicy policy) {
    Instant now = input.now();
    List<PlanningJob> jobs = input.jobs();
    int n = jobs.size();
    long[] latest = new long[n];
    for (int j = 0; j < n; j++) {
      latest[j] = latestStart(jobs.get(j), policy).getEpochSecond();
    }
    if (!policy.carbonAware()) {
      List<PlannedJob> out = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        PlanningJob job = jobs.get(j);
        String region = firstRegion(job, input, policy);
        double nowG = intensity(input, region, now, job.durationS());
        out.add(planned(job, now, region, nowG, nowG, latest[j] < now.getEpochSecond(),
            "released at once: carbon-aware planning is switched off"));
      }
      return new Plan(now, out);
    }

    List<Slot> slots = slots(input, policy);
    Map<String, List<Slot>> byRegion = new LinkedHashMap<>(); // each region's slots in time order
    slots.forEach(s -> byRegion.computeIfAbsent(s.region, r -> new ArrayList<>()).add(s));
    List<PlanningJob> expected = input.expectedBeforeEnd();
    Map<Integer, String> runNow = expected.isEmpty() ? Map.of() : planWithExpectedJobs(byRegion, input, expected, latest, policy);
    Map<String, RegionQueue> queues = new HashMap<>();
    byRegion.forEach((region, mine) -> queues.put(region, new RegionQueue(region, mine, jobs, latest)));
    boolean[] assigned = new boolean[n];
    PlannedJob[] result = new PlannedJob[n];
    placeJointPlanNow(runNow, byRegion, queues, assigned, result, latest, input, expected.size());
    slots.sort(Comparator.<Slot>comparingDouble(s -> s.cost).thenComparingLong(s -> s.known ? s.start : -s.start));
    // first within the share of each slot that jobs submitted later will leave free, then within all of it
    fill(slots, true, queues, jobs, assigned, result, input, policy);
    fill(slots, false, queues, jobs, assigned, result, input, policy);
    List<PlannedJob> out = new ArrayList<>(n);
    Integer[] unplaced = IntStream.range(0, n).filter(j -> result[j] == null).boxed().toArray(Integer[]::new);
    Arrays.sort(unplaced, Comparator.comparingLong(j -> latest[j]));
    for (int j : unplaced) {
      PlanningJob job = jobs.get(j);
      String region = firstRegion(job, input, policy);
      double nowG = intensity(input, region, now, job.durationS());
      result[j] = planned(job, now, region, nowG, nowG, true,
          "at risk: no capacity left before its latest safe start " + HHMM.format(Instant.ofEpochSecond(latest[j]))
              + "; released now, earliest deadline first");
    }
    out.addAll(Arrays.asList(result));
    return new Plan(now, out);
  }

  /**
   * With jobs expected to come, the slot under way runs what the cheapest joint plan of known and expected jobs runs
   * there ({@link #planWithExpectedJobs}), nothing more: those jobs are placed in it first, released now in the plan's
   * region, and the fill passes add to it only a job whose last chance it is (which the plan ran there too, unless its
   * rounding of work to whole jobs left it out). In the replays this keeps clean hours for the work that will want
   * them and gives the slot under way to the jobs that gain least from waiting.
   */
  private void placeJointPlanNow(Map<Integer, String> runNow, Map<String, List<Slot>> byRegion, Map<String, RegionQueue> queues,
      boolean[] assigned, PlannedJob[] result, long[] latest, PlanningInput input, int expected) {
    Instant now = input.now();
    List<PlanningJob> jobs = input.jobs();
    runNow.forEach((j, region) -> {
      Slot slot = byRegion.get(region).getFirst();
      PlanningJob job = jobs.get(j);
      assigned[j] = true;
      slot.used += job.durationS();
      for (RegionQueue q : queues.values()) {
        q.placed(j, q == queues.get(region) ? slot.index : -1, job.durationS());
      }
      double nowG = intensity(input, region, now, job.durationS());
      boolean late = latest[j] < now.getEpochSecond(); // its latest safe start has passed: at risk, however it is planned
      result[j] = planned(job, now, region, nowG, nowG, late, String.format(Locale.ROOT,
          "%sreleased now in %s (%.0f g/kWh): the cheapest plan of the %d known and %d expected jobs runs it in the slot under way",
          late ? "at risk: its latest safe start has passed; " : "", region, nowG, jobs.size(), expected));
    });
  }

  /**
   * Takes the slots cleanest first and gives each, up to its limit, to jobs that may start in it ({@link
   * RegionQueue#choose}). With {@code shareOnly} the limit is the slot's share for the jobs known now, else all of its
   * capacity.
   */
  private void fill(List<Slot> slots, boolean shareOnly, Map<String, RegionQueue> queues, List<PlanningJob> jobs, boolean[] assigned,
      PlannedJob[] result, PlanningInput input, PlannerPolicy policy) {
    for (Slot slot : slots) {
      RegionQueue q = queues.get(slot.region);
      double limit = shareOnly && !slot.closed ? slot.share : slot.capacity;
      while (slot.used < limit) {
        long start = slot.start + (long) (slot.used / slot.throughput);
        // within a share a job goes where at least half of it fits (rounding the fluid shares); the full pass only
        // needs the slot not to be full yet
        int j = q.choose(slot, start, shareOnly ? limit - slot.used : Double.POSITIVE_INFINITY, assigned);
        if (j < 0) {
          break;
        }
        assigned[j] = true;
        double work = jobs.get(j).durationS();
        slot.used += work;
        for (RegionQueue other : queues.values()) {
          other.placed(j, other == q ? slot.index : -1, work);
        }
        result[j] = placed(jobs.get(j), Instant.ofEpochSecond(Math.max(start, input.now().getEpochSecond())), slot, input, policy);
      }
    }
  }

  /**
   * Jobs planned to start before this are released at a tick: everything planned in the current slot (so the GPUs
   * work through the slot's plan without waiting for the next tick), and at least what falls before the next tick.
   */
  public static Instant releaseUntil(Instant now, Duration tick, PlannerPolicy policy) {
    long slotS = policy.slotMinutes() * 60L;
    long slotEnd = now.getEpochSecond() - Math.floorMod(now.getEpochSecond(), slotS) + slotS;
    Instant nextTick = now.plus(tick);
    Instant endOfSlot = Instant.ofEpochSecond(slotEnd);
    return nextTick.isAfter(endOfSlot) ? nextTick : endOfSlot;
  }

  /** When a released job may be claimed: its planned start, never later than now. */
  public static Instant claimFrom(PlannedJob p, Instant now) {
    return p.plannedStart().isAfter(now) ? now : p.plannedStart();
  }

  /** The last moment the job may start and still meet its deadline with the safety margin. */
  public static Instant latestStart(PlanningJob job, PlannerPolicy policy) {
    double margin = Math.max(policy.safetyMarginMinS(), policy.safetyMarginFraction() * job.durationS());
    Instant byDeadline = job.deadline().minusMillis((long) Math.ceil((job.durationS() + margin) * 1000));
    Instant byDeferral = job.submittedAt().plusSeconds((long) (policy.maxDeferralH() * 3600));
    return byDeadline.isBefore(byDeferral) ? byDeadline : byDeferral;
  }

  private PlannedJob placed(PlanningJob job, Instant start, Slot slot, PlanningInput input, PlannerPolicy policy) {
    Instant now = input.now();
    double nowG = intensity(input, slot.region, now, job.durationS());
    if (!slot.known) {
      return planned(job, start, slot.region, Double.NaN, nowG, false,
          "no forecast for " + slot.region + ": released at its latest safe start " + HHMM.format(start));
    }
    double thereG = intensity(input, slot.region, start, job.durationS());
    String where = " in " + slot.region;
    String reason;
    if (!start.isAfter(now)) {
      reason = policy.releaseBelowGPerKwh() > 0 && nowG <= policy.releaseBelowGPerKwh()
          ? String.format(Locale.ROOT, "released now%s: forecast %.0f g/kWh is at or below the %.0f g/kWh threshold", where, nowG, policy.releaseBelowGPerKwh())
          : String.format(Locale.ROOT, "released now%s: %.0f g/kWh is the cleanest capacity before its deadline", where, nowG);
    } else {
      double saving = nowG > 0 ? (nowG - thereG) / nowG : 0;
      reason = String.format(Locale.ROOT, "deferred to %s%s: forecast %.0f g/kWh against %.0f now, saves about %.0f %%",
          HHMM.format(start), where, thereG, nowG, Math.max(0, saving) * 100);
    }
    return planned(job, start, slot.region, thereG, nowG, false, reason);
  }

  private static PlannedJob planned(PlanningJob job, Instant start, String region, double thereG, double nowG, boolean atRisk, String reason) {
    double kwh = job.energyJ() / J_PER_KWH;
    return new PlannedJob(job.id(), start, region, thereG, Double.isNaN(thereG) ? Double.NaN : kwh * thereG,
        Double.isNaN(nowG) ? Double.NaN : kwh * nowG, atRisk, reason);
  }

  private static double intensity(PlanningInput input, String region, Instant from, double seconds) {
    IntensitySeries s = region == null ? null : input.forecasts().get(region);
    if (s == null) {
      return Double.NaN;
    }
    OptionalDouble v = s.average(from, from.plusMillis((long) Math.max(1000, seconds * 1000)));
    return v.orElse(Double.NaN);
  }

  /** For a job released without a slot: the allowed region with the most GPUs, or null (any region may take it). */
  private static String firstRegion(PlanningJob job, PlanningInput input, PlannerPolicy policy) {
    return input.gpus().entrySet().stream()
        .filter(e -> job.allows(e.getKey()) && policy.regionAllowed(e.getKey())
            && policy.capacityOverride().getOrDefault(e.getKey(), e.getValue()) > 0)
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).findFirst().orElse(null);
  }

  /** The planning slots of every region with capacity, from now to the horizon. */
  private static List<Slot> slots(PlanningInput input, PlannerPolicy policy) {
    long slotS = policy.slotMinutes() * 60L;
    long now = input.now().getEpochSecond();
    long end = now + policy.horizonH() * 3600L;
    long submissionsEnd = input.submissionsEnd().getEpochSecond(); // Instant.MAX: later than any slot
    List<Slot> slots = new ArrayList<>();
    for (Map.Entry<String, Integer> e : input.gpus().entrySet()) {
      int index = 0;
      String region = e.getKey();
      if (!policy.regionAllowed(region)) {
        continue;
      }
      int gpus = policy.capacityOverride().getOrDefault(region, e.getValue());
      if (gpus <= 0) {
        continue;
      }
      IntensitySeries forecast = input.forecasts().get(region);
      double committed = input.committedGpuSeconds().getOrDefault(region, 0.0);
      for (long s = now - Math.floorMod(now, slotS); s < end; s += slotS) {
        long from = Math.max(s, now);
        long to = Math.min(s + slotS, end);
        // no online job can arrive in a slot that starts after the last submission
        double reserve = from > submissionsEnd ? 0 : onlineReserve(s <= now, region, from, to, from - now, gpus, input.onlineLoad(), policy);
        double capacity = (double) gpus * (to - from) * (1 - reserve);
        double taken = Math.min(capacity, committed);
        committed -= taken;
        OptionalDouble g = forecast == null ? OptionalDouble.empty()
            : forecast.average(Instant.ofEpochSecond(from), Instant.ofEpochSecond(to));
        boolean known = g.isPresent();
        double cost = known ? g.getAsDouble() : Double.MAX_VALUE;
        if (known && policy.releaseBelowGPerKwh() > 0 && cost <= policy.releaseBelowGPerKwh()) {
          cost = 0; // clean enough: earliest such slot wins
        }
        double share = capacity * shareForKnownJobs(from - now, policy);
        slots.add(new Slot(region, index++, from, to, capacity, share, taken, cost, known));
      }
    }
    return slots;
  }

  /**
   * Plans the known and the expected jobs together: per region the cheapest fluid schedule in which every GPU-second
   * costs its job's power x the slot's forecast ({@link FluidSchedule}, exact), the known jobs from the slot under way,
   * an expected one from its arrival. Each slot's first-pass share becomes the known jobs' work there; among equal
   * forecasts the earlier slot wins. Returns the known jobs that schedule runs in the slot under way (most urgent first
   * within each group of the same latest start and power, as far as the group's work there goes), with their region.
   * A job that may run in several regions counts a part in each. A region whose demand cannot fit keeps the
   * lead-time shares and adds no job to run now.
   */
  private static Map<Integer, String> planWithExpectedJobs(Map<String, List<Slot>> byRegion, PlanningInput input, List<PlanningJob> expected,
      long[] latest, PlannerPolicy policy) {
    List<PlanningJob> known = input.jobs();
    Map<Integer, String> runNow = new HashMap<>();
    // per job, once: the regions it is split over, and an expected job's latest start
    double[] knownRegions = new double[known.size()];
    for (int j = 0; j < known.size(); j++) {
      knownRegions[j] = regionsFor(known.get(j), byRegion.keySet());
    }
    double[] expectedRegions = new double[expected.size()];
    long[] expectedLatest = new long[expected.size()];
    for (int j = 0; j < expected.size(); j++) {
      expectedRegions[j] = regionsFor(expected.get(j), byRegion.keySet());
      expectedLatest[j] = latestStart(expected.get(j), policy).getEpochSecond();
    }
    for (Map.Entry<String, List<Slot>> e : byRegion.entrySet()) {
      List<Slot> mine = e.getValue();
      int n = mine.size();
      long gridStart = mine.getFirst().start;
      long slotS = policy.slotMinutes() * 60L;
      long gridOrigin = gridStart - Math.floorMod(gridStart, slotS);
      double[] capacity = new double[n];
      double[] cost = new double[n];
      for (int i = 0; i < n; i++) {
        capacity[i] = Math.max(0, mine.get(i).capacity - mine.get(i).used);
        // a millionth of a g/kWh per slot: among equal forecasts the earlier slot, so work is not put off for nothing
        cost[i] = mine.get(i).known ? mine.get(i).cost + 1e-6 * i : Double.NaN;
      }
      int total = known.size() + expected.size();
      int[] first = new int[total];
      int[] last = new int[total];
      double[] amount = new double[total];
      double[] draw = new double[total];
      boolean[] isKnown = new boolean[total];
      int[] jobOf = new int[total];
      int m = 0;
      for (int j = 0; j < known.size(); j++) {
        PlanningJob job = known.get(j);
        if (job.allows(e.getKey())) {
          first[m] = 0;
          last[m] = slotIndex(latest[j], gridOrigin, slotS, n);
          amount[m] = job.durationS() / knownRegions[j];
          draw[m] = jointPlanPower(job);
          jobOf[m] = j;
          isKnown[m++] = true;
        }
      }
      for (int j = 0; j < expected.size(); j++) {
        PlanningJob job = expected.get(j);
        long arrives = job.submittedAt().getEpochSecond();
        if (job.allows(e.getKey()) && arrives < mine.getLast().start + slotS) {
          // the slot under way is the known jobs': an arrival expected in it is planned from the next one
          first[m] = Math.min(n - 1, Math.max(1, slotIndex(arrives, gridOrigin, slotS, n)));
          last[m] = Math.max(first[m], slotIndex(expectedLatest[j], gridOrigin, slotS, n));
          amount[m] = job.durationS() / expectedRegions[j];
          draw[m] = jointPlanPower(job);
          isKnown[m++] = false;
        }
      }
      FluidSchedule schedule = FluidSchedule.solve(capacity, cost, Arrays.copyOf(first, m), Arrays.copyOf(last, m), Arrays.copyOf(draw, m),
          Arrays.copyOf(amount, m), Arrays.copyOf(isKnown, m));
      if (schedule == null) {
        continue;
      }
      double[] knownUse = schedule.markedWork();
      for (int t = 0; t < n; t++) {
        mine.get(t).share = knownUse[t] + mine.get(t).used;
      }
      mine.getFirst().closed = true;
      // the slot under way: each group's work there goes to its most urgent jobs, a job where at least half of it fits,
      // and no job once the slot is full (only the last one may run over, as in the fill)
      double free = capacity[0];
      Map<Integer, List<Integer>> groups = new HashMap<>();
      for (int q = 0; q < m; q++) {
        if (isKnown[q] && !runNow.containsKey(jobOf[q])) {
          groups.computeIfAbsent(schedule.merged(q), k -> new ArrayList<>()).add(q);
        }
      }
      // groups whose last chance is soonest first, so that a full slot leaves out only work that may wait
      List<Map.Entry<Integer, List<Integer>>> byUrgency = new ArrayList<>(groups.entrySet());
      byUrgency.sort(Comparator.comparingInt(g -> last[g.getValue().getFirst()]));
      for (Map.Entry<Integer, List<Integer>> g : byUrgency) {
        double room = schedule.workIn(g.getKey(), 0);
        for (int q : g.getValue().stream().sorted(Comparator.comparingLong(q -> latest[jobOf[q]])).toList()) {
          if (amount[q] / 2 > room || free <= 1e-9) {
            break;
          }
          runNow.put(jobOf[q], e.getKey());
          room -= amount[q];
          free -= known.get(jobOf[q]).durationS();
        }
      }
    }
    return runNow;
  }

  /**
   * A job's power in the joint plan: to the nearest {@link #JOINT_PLAN_POWER_GRAIN_W} W, so that jobs of the same
   * window and about the same draw are one demand (a tick plans hundreds of thousands of jobs in a few thousand).
   */
  private static double jointPlanPower(PlanningJob job) {
    return Math.round(power(job) / JOINT_PLAN_POWER_GRAIN_W) * JOINT_PLAN_POWER_GRAIN_W;
  }

  static final double JOINT_PLAN_POWER_GRAIN_W = 10;

  private static double power(PlanningJob job) {
    return job.energyJ() / Math.max(1e-9, job.durationS());
  }

  private static int slotIndex(long epochS, long gridOrigin, long slotS, int n) {
    return (int) Math.max(0, Math.min(n - 1, (epochS - gridOrigin) / slotS));
  }

  private static double regionsFor(PlanningJob job, Set<String> planned) {
    return Math.max(1, planned.stream().filter(job::allows).count());
  }

  /**
   * The flat share of a slot's capacity kept free for online jobs: all of {@code online_reserve} in future slots, half
   * of it in the slot under way, whose online jobs so far are already in the committed work (none in slots that start
   * after {@link PlanningInput#submissionsEnd()}).
   */
  public static double onlineReserve(boolean slotUnderWay, PlannerPolicy policy) {
    return slotUnderWay ? policy.onlineReserve() / 2 : policy.onlineReserve();
  }

  /**
   * The share of the slot {@code [fromS, toS)} of {@code region}, {@code leadS} seconds ahead, kept free for online
   * jobs. With a forecast of online work and {@code online_reserve_from_history}, what the last day's online jobs
   * brought in those hours ({@link ExpectedOnlineLoad}) x the headroom for that lead ({@link #headroom}), at least
   * {@code online_reserve_min} and at most all of the slot; else the flat {@code online_reserve}. Half of it in the
   * slot under way, as above.
   */
  public static double onlineReserve(boolean slotUnderWay, String region, long fromS, long toS, long leadS, int gpus,
      ExpectedOnlineLoad load, PlannerPolicy policy) {
    if (!policy.onlineReserveFromHistory() || !load.known() || toS <= fromS) {
      return onlineReserve(slotUnderWay, policy);
    }
    double expected = load.gpuSeconds(region, fromS, toS) * headroom(leadS, policy) / ((double) gpus * (toS - fromS));
    double share = Math.min(1, Math.max(policy.onlineReserveMin(), expected));
    return slotUnderWay ? share / 2 : share;
  }

  /**
   * How many times the expected online work a slot {@code leadS} seconds ahead keeps free. The headroom guards the
   * online jobs against bursts, and it matters where jobs are about to be released: a slot up to {@code
   * online_reserve_headroom_lead_h.full} ahead (1 h) keeps all of {@code online_reserve_headroom}. A slot further
   * ahead will be planned again at every tick before it comes, so from {@code online_reserve_headroom_lead_h.none}
   * ahead (3 h) it is planned on the expected work alone, linearly in between: the deferred jobs then see the clean
   * hours ahead about as the GPUs will have them. A headroom of 1 or less applies at every lead.
   */
  static double headroom(long leadS, PlannerPolicy policy) {
    double h = policy.onlineReserveHeadroom();
    double fullS = policy.onlineReserveHeadroomFullH() * 3600;
    double noneS = policy.onlineReserveHeadroomNoneH() * 3600;
    if (h <= 1 || leadS <= fullS) {
      return h;
    }
    double kept = leadS >= noneS ? 0 : (noneS - leadS) / (noneS - fullS);
    return 1 + (h - 1) * kept;
  }

  /**
   * The share of a slot that the jobs known now may take in the first pass. Deferred jobs submitted later will want
   * the same clean hours, and the further ahead a slot lies the more of them will have arrived by then: the share
   * falls linearly with lead time, to none at {@code max_deferral_h}. Jobs that do not fit in these shares take the
   * rest of the capacity in a second pass, so the shares steer where jobs go but never put one at risk.
   */
  static double shareForKnownJobs(long leadS, PlannerPolicy policy) {
    return leadS <= 0 ? 1 : Math.max(0, 1 - leadS / (policy.maxDeferralH() * 3600));
  }

  private static final class Slot {
    final String region;
    final int index; // in its region's slots, in time order
    final long start;
    final double capacity;
    double share;
    final double throughput;
    final double cost;
    final boolean known;
    double used;
    boolean closed; // the slot under way, given to the joint plan's jobs: the fill adds only jobs whose last chance it is

    Slot(String region, int index, long start, long end, double capacity, double share, double used, double cost, boolean known) {
      this.region = region;
      this.index = index;
      this.start = start;
      this.capacity = capacity;
      this.share = share;
      this.throughput = Math.max(1e-9, capacity / Math.max(1, end - start)); // GPUs left to deferred work
      this.used = used;
      this.cost = cost;
      this.known = known;
    }
  }

  /**
   * The jobs one region may run, and which of them a slot takes next. Among the jobs that may still start at that
   * point of the slot, the one with the most power-hungry work goes first (a GPU-second moved into a clean slot saves
   * its power times the difference in intensity; the jobs' draw differs by up to about 30 % with resolution and
   * length), provided the jobs not yet placed all still fit by their latest starts ({@link SlotSlack}); else the one
   * whose latest start is nearest, the choice that never puts another job at risk, and always that one when this slot
   * is its last. The power ranking is coarse on purpose: the jobs are cut into {@link #POWER_BANDS} bands by power
   * (quantiles of the jobs), each ordered by latest start, and a band offers its most urgent job. A job displaced by a
   * hungrier one runs in the next cleanest slot of its own window, which for a job due soon can be much dirtier than
   * the hungrier job's alternative; within a coarse band, power differs little and urgency decides (in the replays
   * three bands saved more than eight or 32). A job that may run in several regions counts in full in each of them until it is
   * placed, so the check is cautious there.
   */
  private static final class RegionQueue {
    static final int POWER_BANDS = 3;
    final JobOrder all;
    final JobOrder[] bands; // the most power-hungry band last
    final int[] lastSlot; // per job: the last of this region's slots it may start in; -1: none (or not allowed here)
    final List<PlanningJob> jobs;
    final SlotSlack slack;

    RegionQueue(String region, List<Slot> slots, List<PlanningJob> jobs, long[] latest) {
      int n = jobs.size();
      this.jobs = jobs;
      lastSlot = new int[n];
      long[] starts = slots.stream().mapToLong(s -> s.start).toArray();
      double[] demand = new double[slots.size()];
      List<Integer> mine = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        PlanningJob job = jobs.get(j);
        // the last slot starting at or before the latest start (-1 when even the first starts later)
        lastSlot[j] = job.allows(region) ? firstAtLeast(starts, latest[j] + 1) - 1 : -1;
        if (lastSlot[j] >= 0) {
          demand[lastSlot[j]] += job.durationS();
          mine.add(j);
        }
      }
      double[] free = new double[slots.size()];
      for (int i = 0; i < free.length; i++) {
        free[i] = slots.get(i).capacity - slots.get(i).used;
      }
      slack = new SlotSlack(free, demand);
      all = new JobOrder(mine, latest);
      double[] power = new double[n];
      for (int j : mine) {
        power[j] = power(jobs.get(j));
      }
      double[] sorted = mine.stream().mapToDouble(j -> power[j]).sorted().toArray();
      double[] cuts = new double[POWER_BANDS - 1];
      for (int b = 0; b < cuts.length; b++) {
        cuts[b] = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, (long) (b + 1) * sorted.length / POWER_BANDS)];
      }
      List<List<Integer>> members = new ArrayList<>();
      for (int b = 0; b < POWER_BANDS; b++) {
        members.add(new ArrayList<>());
      }
      for (int j : mine) {
        int b = 0;
        while (b < cuts.length && power[j] > cuts[b]) {
          b++;
        }
        members.get(b).add(j);
      }
      bands = members.stream().filter(m -> !m.isEmpty()).map(m -> new JobOrder(m, latest)).toArray(JobOrder[]::new);
    }

    /**
     * The job {@code slot} takes at {@code start}, or -1 when none may start there; with a finite {@code room} only a
     * job at least half of which fits in it.
     */
    int choose(Slot slot, long start, double room, boolean[] assigned) {
      int urgent = all.firstFrom(start, assigned);
      if (urgent < 0 || slot.closed && lastSlot[urgent] != slot.index) {
        return -1; // a closed slot takes only a job whose last chance it is
      }
      // a job whose last chance this slot is goes first: later in the slot it may be too late
      if (lastSlot[urgent] != slot.index) {
        for (int b = bands.length - 1; b >= 0; b--) {
          int j = bands[b].firstFrom(start, assigned);
          if (j >= 0 && work(j) / 2 <= room && (j == urgent || slack.admits(slot.index, lastSlot[j], work(j)))) {
            return j;
          }
        }
      }
      return work(urgent) / 2 <= room ? urgent : -1;
    }

    private double work(int j) {
      return jobs.get(j).durationS();
    }

    /** Books job {@code j}, placed in this region's slot {@code slot} or (-1) elsewhere. */
    void placed(int j, int slot, double work) {
      if (lastSlot[j] < 0) {
        return;
      }
      if (slot >= 0) {
        slack.place(slot, lastSlot[j], work);
      } else {
        slack.release(lastSlot[j], work);
      }
    }
  }

  /** The first index of ascending {@code sorted} whose value is at least {@code t} ({@code sorted.length}: none). */
  private static int firstAtLeast(long[] sorted, long t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Jobs sorted by latest start, with a "next unplaced" pointer structure (path-halving union-find), so that taking
   * them in order costs about O(jobs) in total.
   */
  private static final class JobOrder {
    final int[] order;
    final long[] latestSorted;
    final int[] next;

    JobOrder(List<Integer> jobs, long[] latest) {
      order = jobs.stream().sorted(Comparator.comparingLong(j -> latest[j])).mapToInt(Integer::intValue).toArray();
      latestSorted = new long[order.length];
      for (int i = 0; i < order.length; i++) {
        latestSorted[i] = latest[order[i]];
      }
      next = new int[order.length + 1];
      for (int i = 0; i <= order.length; i++) {
        next[i] = i;
      }
    }

    /** The unplaced job with the nearest latest start at or after {@code t}, or -1. */
    int firstFrom(long t, boolean[] assigned) {
      int k = nextUnassigned(firstAtLeast(latestSorted, t), assigned);
      return k < order.length ? order[k] : -1;
    }

    /** The first position at or after k whose job is not yet placed (by this region or another). */
    private int nextUnassigned(int k, boolean[] assigned) {
      int r = find(k);
      while (r < order.length && assigned[order[r]]) {
        next[r] = r + 1;
        r = find(r + 1);
      }
      return r;
    }

    private int find(int k) {
      while (next[k] != k) {
        next[k] = next[next[k]];
        k = next[k];
      }
      return k;
    }
  }
}
