package dev.greenlight.credits;

/** The account cannot cover the quote; nothing was held. */
public final class InsufficientCredits extends RuntimeException {
  private final double missing;
  private final double balance;
  private final double price;

  public InsufficientCredits(double price, double balance) {
    super(String.format(java.util.Locale.ROOT, "this job costs %.4f credits and the balance is %.4f: %.4f credits missing",
        price, balance, price - balance), null, false, false);
    this.missing = price - balance;
    this.balance = balance;
    this.price = price;
  }

  public double missing() {
    return missing;
  }

  public double balance() {
    return balance;
  }

  public double price() {
    return price;
  }
}
