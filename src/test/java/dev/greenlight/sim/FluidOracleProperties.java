package dev.greenlight.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.job.JobMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * {@link FluidOracle} is the optimum of the transportation LP in which each job's GPU-seconds cost its own power x the
 * slot's intensity (solved here by Commons Math's simplex): a lower bound on every schedule, and the tightest one the
 * fluid relaxation gives.
 */
class FluidOracleProperties {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  static final Duration SLOT = Duration.ofHours(1);

  record Job(int submitH, int slackH, int seconds, int watts) {}

  record Case(List<Double> intensity, int gpus, List<Job> jobs) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Job> job = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(1, 4),
        Arbitraries.integers().between(60, 3600), Arbitraries.of(300, 450, 600, 700)).as(Job::new);
    return Combinators.combine(Arbitraries.doubles().between(10, 500).list().ofSize(12), Arbitraries.integers().between(1, 2),
        job.list().ofMinSize(1).ofMaxSize(8)).as(Case::new);
  }

  @Property(tries = 300)
  void theOptimumWithEachJobsOwnPower(@ForAll("cases") Case c) {
    Double optimum = optimum(c, false);
    double bound = FluidOracle.gramsG(jobs(c, false), trace(c), trace(c), c.gpus(), SLOT);
    if (optimum == null) {
      assertThat(bound).as("infeasible for the LP, so for the bound").isNaN();
      return;
    }
    assertThat(bound).isCloseTo(optimum, within(1e-6 * Math.max(1, optimum)));
  }

  @Property(tries = 100)
  void theOptimumItselfWhenEveryJobDrawsTheSamePower(@ForAll("cases") Case c) {
    Double optimum = optimum(c, true);
    double bound = FluidOracle.gramsG(jobs(c, true), trace(c), trace(c), c.gpus(), SLOT);
    if (optimum == null) {
      assertThat(bound).isNaN();
      return;
    }
    assertThat(bound).isCloseTo(optimum, within(1e-6 * Math.max(1, optimum)));
  }

  static IntensitySeries trace(Case c) {
    List<IntensityPoint> points = new ArrayList<>();
    for (int h = 0; h < c.intensity().size(); h++) {
      points.add(new IntensityPoint(T0.plus(SLOT.multipliedBy(h)), T0.plus(SLOT.multipliedBy(h + 1)), c.intensity().get(h)));
    }
    return new IntensitySeries(points);
  }

  static List<SimJob> jobs(Case c, boolean samePower) {
    return c.jobs().stream().map(j -> new SimJob(UUID.randomUUID(), T0.plus(SLOT.multipliedBy(j.submitH())), JobMode.OFFLINE, "240p", 2, 20,
        T0.plus(SLOT.multipliedBy(j.submitH() + j.slackH())), List.of("r"), (double) j.seconds() * (samePower ? 500 : j.watts()),
        j.seconds())).toList();
  }

  /** The LP: x[j][h] >= 0 over the hours of job j's window, sum_h x = its seconds, sum_j x <= GPUs x 3600 per hour. */
  static Double optimum(Case c, boolean samePower) {
    List<int[]> vars = new ArrayList<>();
    int earliest = c.jobs().stream().mapToInt(Job::submitH).min().orElseThrow();
    for (int j = 0; j < c.jobs().size(); j++) {
      Job job = c.jobs().get(j);
      for (int h = job.submitH(); h < job.submitH() + job.slackH(); h++) {
        vars.add(new int[] {j, h});
      }
    }
    double[] objective = new double[vars.size()];
    for (int v = 0; v < vars.size(); v++) {
      Job job = c.jobs().get(vars.get(v)[0]);
      // W x g/kWh: the simplex compares reduced costs to 1e-6, so the objective stays in these units, in grams below
      objective[v] = (samePower ? 500 : job.watts()) * c.intensity().get(vars.get(v)[1]);
    }
    List<LinearConstraint> constraints = new ArrayList<>();
    for (int j = 0; j < c.jobs().size(); j++) {
      double[] row = new double[vars.size()];
      for (int v = 0; v < vars.size(); v++) {
        row[v] = vars.get(v)[0] == j ? 1 : 0;
      }
      constraints.add(new LinearConstraint(row, Relationship.EQ, c.jobs().get(j).seconds()));
    }
    for (int h = earliest; h < c.intensity().size(); h++) {
      double[] row = new double[vars.size()];
      for (int v = 0; v < vars.size(); v++) {
        row[v] = vars.get(v)[1] == h ? 1 : 0;
      }
      constraints.add(new LinearConstraint(row, Relationship.LEQ, c.gpus() * 3600.0));
    }
    try {
      return new SimplexSolver().optimize(new MaxIter(10_000), new LinearObjectiveFunction(objective, 0),
          new LinearConstraintSet(constraints), GoalType.MINIMIZE, new NonNegativeConstraint(true)).getValue() / 3.6e6;
    } catch (org.apache.commons.math3.optim.linear.NoFeasibleSolutionException e) {
      return null;
    }
  }
}
