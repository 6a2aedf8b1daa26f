package dev.greenlight.engine.reference;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The few dense kernels the reference pipeline needs, on row-major float arrays, parallel over rows so every core
 * works. No allocation inside the inner loops.
 */
final class Tensors {
  private Tensors() {}

  /** Seeded weights, normal with standard deviation {@code scale}. */
  static float[] normal(SplittableRandom rnd, int n, double scale) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (rnd.nextGaussian() * scale);
    }
    return w;
  }

  /** y[rows x out] = x[rows x in] . w[in x out] + b[out]. */
  static float[] linear(float[] x, int rows, int in, float[] w, float[] b, int out) {
    float[] y = new float[rows * out];
    IntStream.range(0, rows).parallel().forEach(r -> {
      int yo = r * out;
      if (b != null) {
        System.arraycopy(b, 0, y, yo, out);
      }
      int xo = r * in;
      for (int k = 0; k < in; k++) {
        float a = x[xo + k];
        if (a == 0f) {
          continue;
        }
        int wo = k * out;
        for (int j = 0; j < out; j++) {
          y[yo + j] += a * w[wo + j];
        }
      }
    });
    return y;
  }

  /** In place: each row normalised to zero mean, unit variance. */
  static void layerNorm(float[] x, int rows, int d) {
    IntStream.range(0, rows).parallel().forEach(r -> {
      int o = r * d;
      double mean = 0;
      for (int j = 0; j < d; j++) {
        mean += x[o + j];
      }
      mean /= d;
      double var = 0;
      for (int j = 0; j < d; j++) {
        double c = x[o + j] - mean;
        var += c * c;
      }
      float inv = (float) (1 / Math.sqrt(var / d + 1e-5));
      for (int j = 0; j < d; j++) {
        x[o + j] = (float) ((x[o + j] - mean) * inv);
      }
    });
  }

  static void gelu(float[] x) {
    IntStream.range(0, x.length).parallel().forEach(i -> {
      float v = x[i];
      x[i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608 * (v + 0.044715 * v * v * v))));
    });
  }

  static void addInPlace(float[] into, float[] x) {
    for (int i = 0; i < into.length; i++) {
      into[i] += x[i];
    }
  }

  /**
   * Multi-head attention over groups of tokens: for every group g and head, the queries {@code q} of the group's
   * tokens attend over the keys/values of {@code kvIndex(g)}. Token t's vector starts at t*d; heads split d.
   *
   * @param groups number of groups
   * @param members tokens of each group ({@code members[g]})
   * @param kvMembers the tokens each group attends over ({@code kvMembers[g]}), in {@code k}/{@code v}
   */
  static float[] attend(float[] q, float[] k, float[] v, int d, int heads, int[][] members, int[][] kvMembers, int tokens) {
    float[] out = new float[tokens * d];
    int hd = d / heads;
    float scale = (float) (1 / Math.sqrt(hd));
    IntStream.range(0, members.length).parallel().forEach(g -> {
      int[] mq = members[g];
      int[] mk = kvMembers[g];
      float[] scores = new float[mk.length];
      for (int qi : mq) {
        for (int h = 0; h < heads; h++) {
          int qo = qi * d + h * hd;
          float max = Float.NEGATIVE_INFINITY;
          for (int j = 0; j < mk.length; j++) {
            int ko = mk[j] * d + h * hd;
            float s = 0;
            for (int c = 0; c < hd; c++) {
              s += q[qo + c] * k[ko + c];
            }
            s *= scale;
            scores[j] = s;
            if (s > max) {
              max = s;
            }
          }
          float sum = 0;
          for (int j = 0; j < mk.length; j++) {
            scores[j] = (float) Math.exp(scores[j] - max);
            sum += scores[j];
          }
          int oo = qi * d + h * hd;
          for (int j = 0; j < mk.length; j++) {
            float p = scores[j] / sum;
            int vo = mk[j] * d + h * hd;
            for (int c = 0; c < hd; c++) {
              out[oo + c] += p * v[vo + c];
            }
          }
        }
      }
    });
    return out;
  }
}
