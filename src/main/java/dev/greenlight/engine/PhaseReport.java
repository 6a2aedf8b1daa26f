package dev.greenlight.engine;

/** Wall time and energy of one phase of one run. */
public record PhaseReport(Phase phase, double wallS, double energyJ) {}
