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
  void checkingIntervalsAsLongAsTheLongestWindowIsExact() {
    // three overlapping two-slot windows in slots 2-5 need 30 units there; the cheap slots 0-1 and 6-7 are reached
    // only by a one-unit demand each
    double[] capacity = {10, 10, 10, 10, 10, 10, 10, 10};
    double[] cost = {0, 0, 5, 5, 5, 5, 0, 0};
    int[] first = {2, 3, 4, 0, 6};
    int[] last = {3, 4, 5, 1, 7};
    double[] amount = {10, 10, 10, 1, 1};
    double[] everyInterval = FluidLoads.solve(capacity, cost, first, last, amount, 8);
    assertThat(everyInterval).containsExactly(new double[] {1, 0, 10, 10, 10, 0, 1, 0}, within(1e-9));
    // no window is longer than two slots: intervals of two, with every prefix and suffix, give the same loads
    assertThat(FluidLoads.solve(capacity, cost, first, last, amount, 2)).containsExactly(everyInterval, within(1e-9));
  }

  @Test
  void checkingShorterIntervalsThanTheLongestWindowIsOnlyARelaxation() {
    // as above, but one unit may go anywhere (an eight-slot window): with intervals of up to two slots checked, the
    // long interval [2, 5] is implied by no prefix or suffix, and the loads leave it short of its 30 units
    double[] capacity = {10, 10, 10, 10, 10, 10, 10, 10};
    double[] cost = {0, 0, 5, 5, 5, 5, 0, 0};
    int[] first = {2, 3, 4, 0};
    int[] last = {3, 4, 5, 7};
    double[] amount = {10, 10, 10, 1};
    double[] exact = FluidLoads.solve(capacity, cost, first, last, amount, 8);
    assertThat(exact[2] + exact[3] + exact[4] + exact[5]).isCloseTo(30, within(1e-9));
    double[] relaxed = FluidLoads.solve(capacity, cost, first, last, amount, 2);
    assertThat(relaxed[2] + relaxed[3] + relaxed[4] + relaxed[5]).isLessThan(30);
  }

  @Test
  void tooMuchDemandIsNull() {
    assertThat(FluidLoads.solve(new double[] {10, 10}, new double[] {1, 1}, new int[] {0}, new int[] {0}, new double[] {11}, 2)).isNull();
  }
}
