package dev.greenlight.forecast;

/**
 * What an intensity number means: {@code AVERAGE} (the grid mix's emissions per kWh consumed) or {@code MARGINAL}
 * (the emissions of the generator that answers one more kWh, as WattTime's MOER). They are not comparable.
 */
public enum Signal { AVERAGE, MARGINAL }
