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
 * {@link FluidLoads}, checking every interval or only those as long as the longest window (with every prefix and
 * suffix), is the optimum of the transportation problem it stands for: each demand's work spread over the slots of
 * its window, within each slot's capacity, at least cost. Checked against Commons Math's simplex solver on random
 * instances.
 */
class FluidLoadsProperties {
  record Instance(double[] capacity, double[] cost, int[] first, int[] last, double[] amount) {}

  @Provide
  Arbitrary<Instance> instances() {
    Arbitrary<Integer> slots = Arbitraries.integers().between(1, 9);
    return slots.flatMap(n -> {
      Arbitrary<double[]> capacity = Arbitraries.integers().between(0, 12).array(int[].class).ofSize(n)
          .map(a -> Arrays.stream(a).asDoubleStream().toArray());
      Arbitrary<double[]> cost = Arbitraries.integers().between(1, 50).array(int[].class).ofSize(n)
          .map(a -> Arrays.stream(a).asDoubleStream().toArray());
      Arbitrary<int[]> demand = Combinators.combine(Arbitraries.integers().between(0, n - 1), Arbitraries.integers().between(0, n - 1),
          Arbitraries.integers().between(1, 10)).as((a, b, w) -> new int[] {Math.min(a, b), Math.max(a, b), w});
      return Combinators.combine(capacity, cost, demand.list().ofMinSize(1).ofMaxSize(7)).as((c, k, ds) -> {
        int[] first = ds.stream().mapToInt(d -> d[0]).toArray();
        int[] last = ds.stream().mapToInt(d -> d[1]).toArray();
        double[] amount = ds.stream().mapToDouble(d -> d[2]).toArray();
        return new Instance(c, k, first, last, amount);
      });
    });
  }

  @Property(tries = 400)
  void theGreedyLoadsCostWhatTheLinearProgramCosts(@ForAll("instances") Instance in) {
    int longestWindow = 0;
    for (int i = 0; i < in.first().length; i++) {
      longestWindow = Math.max(longestWindow, in.last()[i] - in.first()[i] + 1);
    }
    // checking intervals as long as the longest window (with every prefix and suffix) is as exact as checking all
    double[] loads = FluidLoads.solve(in.capacity(), in.cost(), in.first(), in.last(), in.amount(), longestWindow);
    double[] everyInterval = FluidLoads.solve(in.capacity(), in.cost(), in.first(), in.last(), in.amount(), in.capacity().length);
    if (loads == null || everyInterval == null) {
      assertThat(loads).isEqualTo(everyInterval);
    }
    Double optimum = linearProgram(in);
    if (optimum == null) {
      assertThat(loads).as("infeasible for the LP, so for the greedy").isNull();
      return;
    }
    assertThat(loads).as("feasible for the LP").isNotNull();
    double cost = 0;
    double total = 0;
    for (int t = 0; t < loads.length; t++) {
      assertThat(loads[t]).isBetween(-1e-9, in.capacity()[t] + 1e-9);
      cost += loads[t] * in.cost()[t];
      total += loads[t];
    }
    assertThat(total).isCloseTo(Arrays.stream(in.amount()).sum(), within(1e-6));
    assertThat(cost).isCloseTo(optimum, within(1e-6));
    double costEvery = 0;
    for (int t = 0; t < everyInterval.length; t++) {
      costEvery += everyInterval[t] * in.cost()[t];
    }
    assertThat(costEvery).isCloseTo(optimum, within(1e-6));
  }

  /** The transportation LP: y[i][t] >= 0 for t in demand i's window, sum_t y = amount_i, sum_i y <= capacity_t. */
  private static Double linearProgram(Instance in) {
    int n = in.capacity().length;
    int m = in.amount().length;
    List<int[]> vars = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      for (int t = in.first()[i]; t <= in.last()[i]; t++) {
        vars.add(new int[] {i, t});
      }
    }
    double[] objective = new double[vars.size()];
    for (int v = 0; v < vars.size(); v++) {
      objective[v] = in.cost()[vars.get(v)[1]];
    }
    List<LinearConstraint> constraints = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      double[] row = new double[vars.size()];
      for (int v = 0; v < vars.size(); v++) {
        row[v] = vars.get(v)[0] == i ? 1 : 0;
      }
      constraints.add(new LinearConstraint(row, Relationship.EQ, in.amount()[i]));
    }
    for (int t = 0; t < n; t++) {
      double[] row = new double[vars.size()];
      for (int v = 0; v < vars.size(); v++) {
        row[v] = vars.get(v)[1] == t ? 1 : 0;
      }
      constraints.add(new LinearConstraint(row, Relationship.LEQ, in.capacity()[t]));
    }
    try {
      PointValuePair p = new SimplexSolver().optimize(new MaxIter(10_000), new LinearObjectiveFunction(objective, 0),
          new LinearConstraintSet(constraints), GoalType.MINIMIZE, new NonNegativeConstraint(true));
      return p.getValue();
    } catch (NoFeasibleSolutionException e) {
      return null;
    }
  }
}
