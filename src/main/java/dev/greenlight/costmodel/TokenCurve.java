package dev.greenlight.costmodel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Seconds and joules of one phase as a function of latent tokens, linear between measured points. Points with
 * the same token count are averaged. Below the first point cost scales in proportion to tokens; beyond the last
 * it follows the last segment's slope.
 */
public final class TokenCurve {
  public record Point(double tokens, double seconds, double joules) {}

  private final List<Point> points;

  private TokenCurve(List<Point> points) {
    this.points = points;
  }

  public static TokenCurve of(List<Point> raw) {
    TreeMap<Double, List<Point>> byTokens = new TreeMap<>();
    for (Point p : raw) {
      byTokens.computeIfAbsent(p.tokens(), k -> new ArrayList<>()).add(p);
    }
    List<Point> merged = new ArrayList<>();
    byTokens.forEach((tokens, group) -> merged.add(new Point(tokens,
        group.stream().mapToDouble(Point::seconds).average().orElseThrow(),
        group.stream().mapToDouble(Point::joules).average().orElseThrow())));
    merged.sort(Comparator.comparingDouble(Point::tokens));
    return new TokenCurve(List.copyOf(merged));
  }

  public Point at(double tokens) {
    Point first = points.getFirst();
    if (tokens <= first.tokens() || points.size() == 1) {
      double f = tokens / first.tokens();
      return new Point(tokens, first.seconds() * f, first.joules() * f);
    }
    for (int i = 1; i < points.size(); i++) {
      Point hi = points.get(i);
      if (tokens <= hi.tokens() || i == points.size() - 1) {
        Point lo = points.get(i - 1);
        double f = (tokens - lo.tokens()) / (hi.tokens() - lo.tokens());
        return new Point(tokens, lo.seconds() + f * (hi.seconds() - lo.seconds()), lo.joules() + f * (hi.joules() - lo.joules()));
      }
    }
    throw new IllegalStateException("unreachable");
  }
}
