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
  void tooMuchDemandIsNull() {
    assertThat(FluidLoads.solve(new double[] {10, 10}, new double[] {1, 1}, new int[] {0}, new int[] {0}, new double[] {11}, 2)).isNull();
  }
}
