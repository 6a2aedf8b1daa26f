package dev.greenlight.engine.reference;

import java.util.SplittableRandom;

/**
 * A spatial-temporal diffusion transformer on the latent grid (frames x lh x lw x 4 channels), in 2x2 patches: each
 * block runs spatial attention within a frame, temporal attention across frames at each patch position,
 * cross-attention to the text, and an MLP; the timestep is added as a sinusoidal embedding. Predicts the noise.
 */
final class Denoiser {
  static final int CHANNELS = 4;
  static final int PATCH = 2;
  final int d;
  final float[] patchIn;
  final float[] patchInBias;
  final float[] patchOut;
  final float[] timeW;
  final Block[] blocks;

  Denoiser(SplittableRandom rnd, int d, int heads, int depth) {
    this.d = d;
    int p = PATCH * PATCH * CHANNELS;
    patchIn = Tensors.normal(rnd, p * d, 1 / Math.sqrt(p));
    patchInBias = new float[d];
    patchOut = Tensors.normal(rnd, d * p, 0.05 / Math.sqrt(d));
    timeW = Tensors.normal(rnd, d * d, 1 / Math.sqrt(d));
    blocks = new Block[depth];
    for (int i = 0; i < depth; i++) {
      blocks[i] = new Block(rnd, d, heads, true);
    }
  }

  /** The grid's patch layout: token index of (frame, py, px) is (frame * ph + py) * pw + px. */
  record Grid(int frames, int lh, int lw) {
    int ph() {
      return (lh + PATCH - 1) / PATCH;
    }

    int pw() {
      return (lw + PATCH - 1) / PATCH;
    }

    int tokens() {
      return frames * ph() * pw();
    }
  }

  /** Noise prediction for latent {@code x} (frames*lh*lw*4, channel-last) at timestep {@code t}. */
  float[] predict(float[] x, Grid g, double t, float[] text, int textTokens) {
    int ph = g.ph();
    int pw = g.pw();
    int tokens = g.tokens();
    int p = PATCH * PATCH * CHANNELS;
    float[] patches = new float[tokens * p];
    for (int f = 0; f < g.frames(); f++) {
      for (int y = 0; y < g.lh(); y++) {
        for (int xx = 0; xx < g.lw(); xx++) {
          int tok = (f * ph + y / PATCH) * pw + xx / PATCH;
          int within = ((y % PATCH) * PATCH + xx % PATCH) * CHANNELS;
          for (int c = 0; c < CHANNELS; c++) {
            patches[tok * p + within + c] = x[((f * g.lh() + y) * g.lw() + xx) * CHANNELS + c];
          }
        }
      }
    }
    float[] h = Tensors.linear(patches, tokens, p, patchIn, patchInBias, d);
    float[] temb = Tensors.linear(timestep(t), 1, d, timeW, null, d);
    for (int i = 0; i < tokens; i++) {
      for (int c = 0; c < d; c++) {
        h[i * d + c] += temb[c];
      }
    }
    int[][] spatial = new int[g.frames()][ph * pw];
    for (int f = 0; f < g.frames(); f++) {
      for (int i = 0; i < ph * pw; i++) {
        spatial[f][i] = f * ph * pw + i;
      }
    }
    int[][] temporal = new int[ph * pw][g.frames()];
    for (int i = 0; i < ph * pw; i++) {
      for (int f = 0; f < g.frames(); f++) {
        temporal[i][f] = f * ph * pw + i;
      }
    }
    for (Block b : blocks) {
      b.selfAttention(h, tokens, spatial);
      b.selfAttention(h, tokens, temporal);
      b.crossAttention(h, tokens, spatial, text, textTokens);
      b.mlp(h, tokens);
    }
    Tensors.layerNorm(h, tokens, d);
    float[] outPatches = Tensors.linear(h, tokens, d, patchOut, null, p);
    float[] eps = new float[x.length];
    for (int f = 0; f < g.frames(); f++) {
      for (int y = 0; y < g.lh(); y++) {
        for (int xx = 0; xx < g.lw(); xx++) {
          int tok = (f * ph + y / PATCH) * pw + xx / PATCH;
          int within = ((y % PATCH) * PATCH + xx % PATCH) * CHANNELS;
          for (int c = 0; c < CHANNELS; c++) {
            eps[((f * g.lh() + y) * g.lw() + xx) * CHANNELS + c] = outPatches[tok * p + within + c];
          }
        }
      }
    }
    return eps;
  }

  private float[] timestep(double t) {
    float[] e = new float[d];
    int half = d / 2;
    for (int i = 0; i < half; i++) {
      double freq = Math.exp(-Math.log(10000) * i / half);
      e[i] = (float) Math.sin(t * freq);
      e[i + half] = (float) Math.cos(t * freq);
    }
    return e;
  }
}
