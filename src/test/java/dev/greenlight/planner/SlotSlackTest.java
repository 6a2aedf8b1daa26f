package dev.greenlight.planner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlotSlackTest {
  /** Three slots of 10 GPU-s; 5 GPU-s must start by slot 0 and 10 by slot 1: slack 5, 5, 15. */
  final SlotSlack slack = new SlotSlack(new double[] {10, 10, 10}, new double[] {5, 10, 0});

  @Test
  void theSlackOfASlotIsTheFreeCapacityUpToItLessTheWorkDueByIt() {
    assertThat(slack.least(0, 0)).isEqualTo(5);
    assertThat(slack.least(1, 1)).isEqualTo(5);
    assertThat(slack.least(2, 2)).isEqualTo(15);
    assertThat(slack.least(0, 2)).isEqualTo(5);
    assertThat(slack.least(2, 1)).isInfinite();
  }

  @Test
  void aJobMayTakeASlotWhenEverySlotBeforeItsLastKeepsRoomForIt() {
    // a 5-GPU-s job due by slot 2 fits into slot 0; a 6-GPU-s one would leave the work due by slots 0-1 short
    assertThat(slack.admits(0, 2, 5)).isTrue();
    assertThat(slack.admits(0, 2, 6)).isFalse();
    // in its own last slot a job never takes room from work due earlier
    assertThat(slack.admits(2, 2, 100)).isTrue();
  }

  @Test
  void placingAndReleasingMoveTheSlackOfTheSlotsBetween() {
    slack.place(0, 2, 5); // slots 0-1 lose 5
    assertThat(slack.least(0, 1)).isEqualTo(0);
    assertThat(slack.least(2, 2)).isEqualTo(15);
    slack.release(1, 3); // a job due by slot 1 went to another region: slots 1-2 gain 3
    assertThat(slack.least(0, 0)).isEqualTo(0);
    assertThat(slack.least(1, 1)).isEqualTo(3);
    assertThat(slack.least(2, 2)).isEqualTo(18);
  }
}
