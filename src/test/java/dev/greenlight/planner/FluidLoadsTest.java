package dev.greenlight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FluidLoadsTest {
  @Test
  void workGoesToTheCheapestSlotsOfItsWindow() {
    double[] x = FluidLoads.solve(new double[] {10, 10, 10}, new double[] {3, 1, 2}, new int[] {0}, new int[] {2}, new double[] {15}, 3);
    assertThat(x).containsExactly(new double[] {0, 10, 5}, within(1e-9));
  }

  @Test
  void aNarrowWindowKeepsItsLoadEvenWhereItIsDear() {
    // 8 units must be in slot 0 (dearest); 8 more may be anywhere: they take the cheap slot 1, then slot 2
    double[] x = FluidLoads.solve(new double[] {10, 6, 10}, new double[] {5, 1, 2}, new int[] {0, 0}, new int[] {0, 2}, new double[] {8, 8}, 3);
    assertThat(x).containsExactly(new double[] {8, 6, 2}, within(1e-9));
  }

  @Test
  void laterWindowsAreHonoured() {
    // the second demand only arrives in slot 2, the cheapest: the first takes slot 1 and leaves slot 2 to it
    double[] x = FluidLoads.solve(new double[] {10, 10, 10}, new double[] {3, 2, 1}, new int[] {0, 2}, new int[] {2, 2}, new double[] {10, 10}, 3);
    assertThat(x).containsExactly(new double[] {0, 10, 10}, within(1e-9));
  }

  @Test
  void noLoadIsLeftWhereNoWindowReachesWhenEveryIntervalIsChecked() {
    // three overlapping windows in slots 0-3 need 30 units there; slots 4-5 are free (cost 0) but reached by none
    double[] capacity = {10, 10, 10, 10, 10, 10};
    double[] cost = {5, 5, 5, 5, 0, 0};
    int[] first = {0, 1, 2};
    int[] last = {1, 2, 3};
    double[] amount = {10, 10, 10};
    double[] exact = FluidLoads.solve(capacity, cost, first, last, amount, 6);
    assertThat(exact[0] + exact[1] + exact[2] + exact[3]).isCloseTo(30, within(1e-9));
    assertThat(exact[4] + exact[5]).isCloseTo(0, within(1e-9));
    // checking only intervals of up to two slots misses that [0, 3] must hold all 30: a third of the work lands in a
    // slot nobody can use, which is why the simulator's oracle checks every interval
    double[] truncated = FluidLoads.solve(capacity, cost, first, last, amount, 2);
    assertThat(truncated[4] + truncated[5]).isCloseTo(10, within(1e-9));
  }

  @Test
  void tooMuchDemandIsNull() {
    assertThat(FluidLoads.solve(new double[] {10, 10}, new double[] {1, 1}, new int[] {0}, new int[] {0}, new double[] {11}, 2)).isNull();
  }
}
