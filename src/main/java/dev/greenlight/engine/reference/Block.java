package dev.greenlight.engine.reference;

import java.util.SplittableRandom;

/** One pre-norm transformer sub-layer set: self-attention over given groups, optional cross-attention, MLP. */
final class Block {
  final int d;
  final int heads;
  final float[] wq;
  final float[] wk;
  final float[] wv;
  final float[] wo;
  final float[] cq;
  final float[] ck;
  final float[] cv;
  final float[] co;
  final float[] w1;
  final float[] b1;
  final float[] w2;
  final float[] b2;

  Block(SplittableRandom rnd, int d, int heads, boolean cross) {
    this.d = d;
    this.heads = heads;
    double s = 1 / Math.sqrt(d);
    wq = Tensors.normal(rnd, d * d, s);
    wk = Tensors.normal(rnd, d * d, s);
    wv = Tensors.normal(rnd, d * d, s);
    wo = Tensors.normal(rnd, d * d, s * 0.5);
    cq = cross ? Tensors.normal(rnd, d * d, s) : null;
    ck = cross ? Tensors.normal(rnd, d * d, s) : null;
    cv = cross ? Tensors.normal(rnd, d * d, s) : null;
    co = cross ? Tensors.normal(rnd, d * d, s * 0.5) : null;
    w1 = Tensors.normal(rnd, d * 4 * d, s);
    b1 = new float[4 * d];
    w2 = Tensors.normal(rnd, 4 * d * d, 0.5 / Math.sqrt(4 * d));
    b2 = new float[d];
  }

  /** x += SelfAttention(LN(x)) over {@code groups}. */
  void selfAttention(float[] x, int tokens, int[][] groups) {
    float[] h = x.clone();
    Tensors.layerNorm(h, tokens, d);
    float[] q = Tensors.linear(h, tokens, d, wq, null, d);
    float[] k = Tensors.linear(h, tokens, d, wk, null, d);
    float[] v = Tensors.linear(h, tokens, d, wv, null, d);
    float[] a = Tensors.attend(q, k, v, d, heads, groups, groups, tokens);
    Tensors.addInPlace(x, Tensors.linear(a, tokens, d, wo, null, d));
  }

  /** x += CrossAttention(LN(x), text): every token attends over the text tokens. */
  void crossAttention(float[] x, int tokens, int[][] groups, float[] text, int textTokens) {
    float[] h = x.clone();
    Tensors.layerNorm(h, tokens, d);
    float[] q = Tensors.linear(h, tokens, d, cq, null, d);
    float[] k = Tensors.linear(text, textTokens, d, ck, null, d);
    float[] v = Tensors.linear(text, textTokens, d, cv, null, d);
    int[] all = new int[textTokens];
    for (int i = 0; i < textTokens; i++) {
      all[i] = i;
    }
    int[][] kv = new int[groups.length][];
    java.util.Arrays.fill(kv, all);
    float[] a = Tensors.attend(q, k, v, d, heads, groups, kv, tokens);
    Tensors.addInPlace(x, Tensors.linear(a, tokens, d, co, null, d));
  }

  /** x += MLP(LN(x)). */
  void mlp(float[] x, int tokens) {
    float[] h = x.clone();
    Tensors.layerNorm(h, tokens, d);
    float[] u = Tensors.linear(h, tokens, d, w1, b1, 4 * d);
    Tensors.gelu(u);
    Tensors.addInPlace(x, Tensors.linear(u, tokens, 4 * d, w2, b2, d));
  }
}
