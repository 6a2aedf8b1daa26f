package dev.greenlight.engine.reference;

import dev.greenlight.engine.Boundary;
import dev.greenlight.engine.BoundaryListener;
import dev.greenlight.engine.Engine;
import dev.greenlight.engine.EngineRequest;
import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.JobCancelledException;
import dev.greenlight.engine.Phase;
import dev.greenlight.engine.PhaseReport;
import dev.greenlight.engine.VideoWriter;
import dev.greenlight.job.VideoShape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A real, small latent text-to-video diffusion pipeline in pure Java on the CPU, with seeded, <b>untrained</b>
 * weights: the output is abstract moving colour, not the prompt's content, but every stage computes what a real one
 * does at the requested size, so time and energy scale with resolution, frames and steps as in Open-Sora.
 *
 * <p>Encode: byte-level tokens through a transformer text encoder (prompt, and the empty prompt for guidance).
 * Denoise: {@code steps} DDIM steps of a spatial-temporal DiT over the latent grid (frames x ceil(H/8) x ceil(W/8) x 4
 * in 2x2 patches) with classifier-free guidance. Decode: a VAE-style decoder, x8 to RGB per frame. Mux: MP4 (ffmpeg)
 * or animated GIF, and a poster frame. The engine reports its phase boundaries; energy is the worker's sensor's.
 */
public final class ReferenceEngine implements Engine {
  private final TextEncoder text;
  private final Denoiser denoiser;
  private final Decoder decoder;
  private final double guidance;
  private final String videoFormat;

  /** Model size and output settings (configuration: {@code reference.*}). */
  public record Settings(int width, int depth, int heads, int textDepth, double guidance, long weightSeed, String videoFormat) {
    public static final Settings DEFAULT = new Settings(64, 2, 4, 2, 4.0, 20261126L, "auto");
  }

  public ReferenceEngine(Settings s) {
    SplittableRandom rnd = new SplittableRandom(s.weightSeed());
    this.text = new TextEncoder(rnd, s.width(), s.heads(), s.textDepth(), 128);
    this.denoiser = new Denoiser(rnd, s.width(), s.heads(), s.depth());
    this.decoder = new Decoder(rnd);
    this.guidance = s.guidance();
    this.videoFormat = s.videoFormat();
  }

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public EngineResult run(EngineRequest request, BoundaryListener listener) throws Exception {
    VideoShape shape = request.shape();
    List<PhaseReport> phases = new ArrayList<>();
    long t0 = System.nanoTime();

    listener.at(Boundary.start(Phase.ENCODE));
    int[] ids = text.tokenize(request.prompt());
    float[] cond = text.encode(ids);
    float[] uncond = text.encode(text.tokenize(""));
    long t1 = System.nanoTime();
    phases.add(new PhaseReport(Phase.ENCODE, (t1 - t0) / 1e9, 0));

    Denoiser.Grid grid = new Denoiser.Grid(shape.frames(), shape.resolution().latentHeight(), shape.resolution().latentWidth());
    long seed = request.seed() != null ? request.seed() : request.jobId().getLeastSignificantBits();
    SplittableRandom noise = new SplittableRandom(seed);
    float[] x = new float[grid.frames() * grid.lh() * grid.lw() * Denoiser.CHANNELS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) noise.nextGaussian();
    }
    DdimSchedule schedule = new DdimSchedule(shape.steps());
    for (int i = 0; i < shape.steps(); i++) {
      listener.at(Boundary.step(i + 1, shape.steps()));
      checkInterrupt();
      double t = schedule.timesteps[i];
      float[] ec = denoiser.predict(x, grid, t, cond, ids.length);
      float[] eu = denoiser.predict(x, grid, t, uncond, 1);
      float[] eps = new float[x.length];
      for (int k = 0; k < eps.length; k++) {
        eps[k] = (float) (eu[k] + guidance * (ec[k] - eu[k]));
      }
      schedule.step(x, eps, i);
    }
    long t2 = System.nanoTime();
    phases.add(new PhaseReport(Phase.DENOISE, (t2 - t1) / 1e9, 0));

    listener.at(Boundary.start(Phase.DECODE));
    int width = shape.resolution().width();
    int height = shape.resolution().height();
    int frameSize = grid.lh() * grid.lw() * Denoiser.CHANNELS;
    float[] latent = x;
    List<int[]> frames = new ArrayList<>();
    for (int f = 0; f < grid.frames(); f++) {
      frames.add(decoder.decode(latent, f * frameSize, grid.lh(), grid.lw(), height, width));
      checkInterrupt();
    }
    long t3 = System.nanoTime();
    phases.add(new PhaseReport(Phase.DECODE, (t3 - t2) / 1e9, 0));

    listener.at(Boundary.start(Phase.MUX));
    VideoWriter.Output out = VideoWriter.write(frames, width, height, request.fps(), request.outputDir(), videoFormat);
    long t4 = System.nanoTime();
    phases.add(new PhaseReport(Phase.MUX, (t4 - t3) / 1e9, 0));
    return new EngineResult(name(), "sensor", phases, out.video());
  }

  private static void checkInterrupt() throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException();
    }
  }
}
