package dev.greenlight.engine.reference;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Byte-level tokenizer (one token per UTF-8 byte, up to {@code maxTokens}) and a small transformer encoder. */
final class TextEncoder {
  final int d;
  final int maxTokens;
  final float[] embed;
  final float[] position;
  final Block[] layers;

  TextEncoder(SplittableRandom rnd, int d, int heads, int depth, int maxTokens) {
    this.d = d;
    this.maxTokens = maxTokens;
    embed = Tensors.normal(rnd, 257 * d, 1.0);
    position = Tensors.normal(rnd, maxTokens * d, 0.1);
    layers = new Block[depth];
    for (int i = 0; i < depth; i++) {
      layers[i] = new Block(rnd, d, heads, false);
    }
  }

  /** Token ids: the prompt's UTF-8 bytes, or a single "empty" token (256) for the unconditional branch. */
  int[] tokenize(String prompt) {
    if (prompt == null || prompt.isEmpty()) {
      return new int[] {256};
    }
    byte[] bytes = prompt.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(maxTokens, bytes.length);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = bytes[i] & 0xff;
    }
    return ids;
  }

  /** Encoded text tokens, {@code ids.length x d}. */
  float[] encode(int[] ids) {
    int n = ids.length;
    float[] x = new float[n * d];
    for (int t = 0; t < n; t++) {
      for (int c = 0; c < d; c++) {
        x[t * d + c] = embed[ids[t] * d + c] + position[t * d + c];
      }
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    int[][] one = {all};
    for (Block b : layers) {
      b.selfAttention(x, n, one);
      b.mlp(x, n);
    }
    Tensors.layerNorm(x, n, d);
    return x;
  }
}
