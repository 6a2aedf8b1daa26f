package dev.greenlight.credits;

import java.time.Instant;

/** One option of a quote: how, by when, for how many credits, and what carbon to expect. */
public record Quote(String label, boolean offline, Instant deadline, double credits, double carbonTerm, double discount,
    Instant expectedStart, String region, double expectedG, double savedG) {}
