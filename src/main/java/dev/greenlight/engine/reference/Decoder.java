package dev.greenlight.engine.reference;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** A VAE-style decoder: per frame, 3x3 convolutions and three nearest x2 upsamplings, latent (4 ch) to RGB (x8). */
final class Decoder {
  private final int[] channels = {4, 24, 16, 8, 3};
  private final float[][] kernels = new float[4][];
  private final float[][] biases = new float[4][];

  Decoder(SplittableRandom rnd) {
    for (int l = 0; l < 4; l++) {
      int in = channels[l];
      int out = channels[l + 1];
      kernels[l] = Tensors.normal(rnd, out * in * 9, Math.sqrt(2.0 / (in * 9)));
      biases[l] = Tensors.normal(rnd, out, 0.1);
    }
  }

  /** One frame's latent (lh x lw x 4, channel-last) to packed RGB pixels of height x width (cropped). */
  int[] decode(float[] latent, int offset, int lh, int lw, int height, int width) {
    int h = lh;
    int w = lw;
    float[] x = new float[4 * h * w];
    for (int y = 0; y < h; y++) {
      for (int xx = 0; xx < w; xx++) {
        for (int c = 0; c < 4; c++) {
          x[(c * h + y) * w + xx] = latent[offset + (y * lw + xx) * 4 + c];
        }
      }
    }
    for (int l = 0; l < 4; l++) {
      x = conv(x, channels[l], channels[l + 1], h, w, kernels[l], biases[l], l < 3);
      if (l < 3) {
        x = upsample(x, channels[l + 1], h, w);
        h *= 2;
        w *= 2;
      }
    }
    int[] rgb = new int[height * width];
    for (int y = 0; y < height; y++) {
      for (int xx = 0; xx < width; xx++) {
        int r = channel(x, 0, h, w, y, xx);
        int g = channel(x, 1, h, w, y, xx);
        int b = channel(x, 2, h, w, y, xx);
        rgb[y * width + xx] = (r << 16) | (g << 8) | b;
      }
    }
    return rgb;
  }

  private static int channel(float[] x, int c, int h, int w, int y, int xx) {
    double v = 1 / (1 + Math.exp(-x[(c * h + Math.min(y, h - 1)) * w + Math.min(xx, w - 1)]));
    return (int) Math.round(v * 255);
  }

  private static float[] conv(float[] x, int in, int out, int h, int w, float[] k, float[] b, boolean silu) {
    float[] y = new float[out * h * w];
    IntStream.range(0, out).parallel().forEach(o -> {
      for (int yy = 0; yy < h; yy++) {
        for (int xx = 0; xx < w; xx++) {
          float s = b[o];
          for (int i = 0; i < in; i++) {
            for (int ky = -1; ky <= 1; ky++) {
              int sy = yy + ky;
              if (sy < 0 || sy >= h) {
                continue;
              }
              for (int kx = -1; kx <= 1; kx++) {
                int sx = xx + kx;
                if (sx < 0 || sx >= w) {
                  continue;
                }
                s += k[((o * in + i) * 3 + ky + 1) * 3 + kx + 1] * x[(i * h + sy) * w + sx];
              }
            }
          }
          y[(o * h + yy) * w + xx] = silu ? s / (1 + (float) Math.exp(-s)) : s;
        }
      }
    });
    return y;
  }

  private static float[] upsample(float[] x, int c, int h, int w) {
    float[] y = new float[c * h * 2 * w * 2];
    for (int ch = 0; ch < c; ch++) {
      for (int yy = 0; yy < h * 2; yy++) {
        for (int xx = 0; xx < w * 2; xx++) {
          y[(ch * h * 2 + yy) * w * 2 + xx] = x[(ch * h + yy / 2) * w + xx / 2];
        }
      }
    }
    return y;
  }
}
