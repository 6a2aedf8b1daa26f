package dev.greenlight.engine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Muxes frames into a file a browser plays: H.264 MP4 through {@code ffmpeg} when it is installed (or asked for),
 * else a looping animated GIF written in pure Java. Also writes a PNG poster frame.
 */
public final class VideoWriter {
  private VideoWriter() {}

  /** Where the video went and what it is. */
  public record Output(Path video, String contentType) {}

  public static boolean ffmpegAvailable() {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public static Output write(List<int[]> frames, int width, int height, int fps, Path dir, String format) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    BufferedImage poster = image(frames.get(frames.size() / 2), width, height);
    ImageIO.write(poster, "png", dir.resolve("poster.png").toFile());
    boolean mp4 = format.equals("mp4") || (format.equals("auto") && ffmpegAvailable());
    return mp4 ? mp4(frames, width, height, fps, dir.resolve("video.mp4")) : gif(frames, width, height, fps, dir.resolve("video.gif"));
  }

  private static Output mp4(List<int[]> frames, int width, int height, int fps, Path out) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ffmpeg", "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
        "-s", width + "x" + height, "-r", String.valueOf(fps), "-i", "-", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        "-movflags", "+faststart", out.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = p.getOutputStream()) {
      byte[] row = new byte[width * height * 3];
      for (int[] f : frames) {
        for (int i = 0; i < f.length; i++) {
          row[i * 3] = (byte) (f[i] >> 16);
          row[i * 3 + 1] = (byte) (f[i] >> 8);
          row[i * 3 + 2] = (byte) f[i];
        }
        in.write(row);
      }
    }
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("ffmpeg failed to encode the video (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
    }
    return new Output(out, "video/mp4");
  }

  private static Output gif(List<int[]> frames, int width, int height, int fps, Path out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out.toFile())) {
      writer.setOutput(ios);
      writer.prepareWriteSequence(null);
      for (int[] f : frames) {
        BufferedImage img = image(f, width, height);
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", String.valueOf(Math.max(2, Math.round(100f / fps))));
        gce.setAttribute("transparentColorIndex", "0");
        IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
        app.setAttribute("applicationID", "NETSCAPE");
        app.setAttribute("authenticationCode", "2.0");
        app.setUserObject(new byte[] {1, 0, 0}); // loop forever
        child(root, "ApplicationExtensions").appendChild(app);
        meta.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(img, null, meta), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return new Output(out, "image/gif");
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode n = new IIOMetadataNode(name);
    root.appendChild(n);
    return n;
  }

  private static BufferedImage image(int[] rgb, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, width, height, rgb, 0, width);
    return img;
  }
}
