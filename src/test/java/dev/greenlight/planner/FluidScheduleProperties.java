package dev.greenlight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * {@link FluidSchedule} solves the transportation LP exactly: its cost equals Commons Math's simplex optimum, its
 * schedule keeps every slot within capacity, and the marked demands' work adds up to what they asked for. Slots of
 * equal cost, unknown cost (NaN, used last), windows anywhere and demands that merge (same window and power) included.
 */
class FluidScheduleProperties {
  record Demand(int first, int length, int power, int amount, boolean marked) {}

  record Case(List<Double> cost, List<Integer> capacity, List<Demand> demands) {}

  static final int SLOTS = 8;

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Demand> demand = Combinators.combine(Arbitraries.integers().between(0, SLOTS - 1), Arbitraries.integers().between(0, 4),
        Arbitraries.of(300, 450, 600, 700), Arbitraries.integers().between(10, 900), Arbitraries.of(true, false)).as(Demand::new);
    Arbitrary<Double> cost = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.doubles().between(10, 500)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(100.0, 200.0)), // ties
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Double.NaN)));
    return Combinators.combine(cost.list().ofSize(SLOTS), Arbitraries.integers().between(0, 1200).list().ofSize(SLOTS),
        demand.list().ofMinSize(1).ofMaxSize(10)).as(Case::new);
  }

  @Property(tries = 400)
  void theOptimumOfTheLpWithinCapacity(@ForAll("cases") Case c) {
    int n = c.demands().size();
    int[] first = new int[n];
    int[] last = new int[n];
    double[] power = new double[n];
    double[] amount = new double[n];
    boolean[] marked = new boolean[n];
    for (int k = 0; k < n; k++) {
      Demand d = c.demands().get(k);
      first[k] = d.first();
      last[k] = Math.min(SLOTS - 1, d.first() + d.length());
      power[k] = d.power();
      amount[k] = d.amount();
      marked[k] = d.marked();
    }
    double[] capacity = c.capacity().stream().mapToDouble(Integer::doubleValue).toArray();
    double[] cost = c.cost().stream().mapToDouble(Double::doubleValue).toArray();
    double[] lpCost = lpCosts(cost);
    FluidSchedule schedule = FluidSchedule.solve(capacity, cost, first, last, power, amount, marked);
    PointValuePair optimum = optimum(capacity, lpCost, first, last, power, amount);
    if (optimum == null) {
      assertThat(schedule).as("infeasible for the LP").isNull();
      return;
    }
    assertThat(schedule).as("feasible for the LP").isNotNull();
    double[] energy = schedule.energy();
    double total = 0;
    for (int t = 0; t < SLOTS; t++) {
      total += energy[t] * lpCost[t];
    }
    assertThat(total).isCloseTo(optimum.getValue(), within(1e-6 * Math.max(1, Math.abs(optimum.getValue()))));
    double[] markedWork = schedule.markedWork();
    double markedAmount = 0;
    for (int k = 0; k < n; k++) {
      markedAmount += marked[k] ? amount[k] : 0;
    }
    assertThat(Arrays.stream(markedWork).sum()).isCloseTo(markedAmount, within(1e-6));
    for (int t = 0; t < SLOTS; t++) {
      assertThat(markedWork[t]).isLessThanOrEqualTo(capacity[t] + 1e-6);
      boolean reachable = false;
      for (int k = 0; k < n; k++) {
        reachable |= marked[k] && first[k] <= t && t <= last[k];
      }
      if (!reachable) {
        assertThat(markedWork[t]).as("no marked window reaches slot %d", t).isZero();
      }
    }
  }

  /** The costs the solver uses: an unknown one above every known one, 10 x (max + 1). */
  static double[] lpCosts(double[] cost) {
    double worst = Arrays.stream(cost).filter(v -> !Double.isNaN(v)).map(Math::abs).max().orElse(0);
    return Arrays.stream(cost).map(v -> Double.isNaN(v) ? (worst + 1) * 10 : v).toArray();
  }

  static PointValuePair optimum(double[] capacity, double[] cost, int[] first, int[] last, double[] power, double[] amount) {
    List<int[]> vars = new ArrayList<>();
    for (int k = 0; k < first.length; k++) {
      for (int t = first[k]; t <= last[k]; t++) {
        vars.add(new int[] {k, t});
      }
    }
    double[] objective = vars.stream().mapToDouble(v -> power[v[0]] * cost[v[1]]).toArray();
    List<LinearConstraint> constraints = new ArrayList<>();
    for (int k = 0; k < first.length; k++) {
      final int demand = k;
      constraints.add(new LinearConstraint(vars.stream().mapToDouble(v -> v[0] == demand ? 1 : 0).toArray(), Relationship.EQ, amount[k]));
    }
    for (int t = 0; t < capacity.length; t++) {
      final int slot = t;
      constraints.add(new LinearConstraint(vars.stream().mapToDouble(v -> v[1] == slot ? 1 : 0).toArray(), Relationship.LEQ, capacity[t]));
    }
    try {
      return new SimplexSolver().optimize(new MaxIter(100_000), new LinearObjectiveFunction(objective, 0),
          new LinearConstraintSet(constraints), GoalType.MINIMIZE, new NonNegativeConstraint(true));
    } catch (NoFeasibleSolutionException e) {
      return null;
    }
  }
}
