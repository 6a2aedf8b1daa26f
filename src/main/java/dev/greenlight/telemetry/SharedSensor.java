package dev.greenlight.telemetry;

/**
 * A sensor that counts the work of every job running at the time (the CPU package, this process's CPU time), shared
 * fairly among them: while {@code n} jobs run, each is charged {@code 1/n} of what the sensor counts, and what it
 * counts while none runs is nobody's. Without this, two jobs running side by side on a CPU node would each be charged
 * both. Each job takes a {@link Share} for its run and closes it at the end.
 */
public final class SharedSensor {
  private final PowerSensor sensor;
  private double lastJ;
  private int running;
  /** Joules charged to each job that has run since the start, accumulated interval by interval. */
  private double perJob;

  public SharedSensor(PowerSensor sensor) {
    this.sensor = sensor;
    this.lastJ = sensor.readJoules();
  }

  /** A job starts: its view of the sensor, counting only its share. */
  public synchronized Share join() {
    advance();
    running++;
    return new Share();
  }

  /** How many jobs hold a share now. */
  public synchronized int running() {
    return running;
  }

  private synchronized void leave() {
    advance();
    running--;
  }

  private synchronized double charged() {
    advance();
    return perJob;
  }

  private void advance() {
    double j = sensor.readJoules();
    if (running > 0) {
      perJob += (j - lastJ) / running;
    }
    lastJ = j;
  }

  /** One job's share of the sensor; cumulative joules as a sensor reads them. */
  public final class Share implements PowerSensor, AutoCloseable {
    private boolean closed;

    @Override
    public String name() {
      return sensor.name();
    }

    @Override
    public double readJoules() {
      return charged();
    }

    @Override
    public void close() {
      synchronized (SharedSensor.this) {
        if (!closed) {
          closed = true;
          leave();
        }
      }
    }
  }
}
