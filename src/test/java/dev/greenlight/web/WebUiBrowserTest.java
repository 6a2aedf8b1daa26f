package dev.greenlight.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.app.Node;
import dev.greenlight.testing.CleanHourTrace;
import dev.greenlight.testing.Http;
import dev.greenlight.testing.TestConfigs;
import dev.greenlight.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against a real node on
 * the reference engine: sign in, quote and submit an offline job, watch a running job's progress move, look at a
 * finished job's footprint and video, and change the release threshold as an admin. Screenshots of each page go to
 * {@code target/screenshots/} (the ones in {@code docs/screenshots/} were copied from a run of this test).
 */
class WebUiBrowserTest {
  static final String ADMIN = "test-admin-key-0123456789";
  static final Path SHOTS = Path.of("target", "screenshots");
  static TestDatabase db;
  static Node node;
  static Http http;
  static WebDriver browser;
  static Path profile;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create();
    node = Node.start(TestConfigs.config(TestConfigs.with(TestConfigs.env(db), "GREENLIGHT_ENGINE", "reference",
        "GREENLIGHT_REFERENCE_WIDTH", "32", "GREENLIGHT_REFERENCE_DEPTH", "1", "GREENLIGHT_REFERENCE_VIDEO_FORMAT", "gif",
        "GREENLIGHT_REGIONS", "es", "GREENLIGHT_PLANNER_TICK_SECONDS", "1",
        "GREENLIGHT_FORECAST_PROVIDERS_ES", "trace:" + CleanHourTrace.write("es-ui") + "?year=2022")), Clock.systemUTC());
    http = new Http(node.vertx(), node.httpPort());
    Files.createDirectories(SHOTS);
    profile = Files.createTempDirectory("greenlight-chromium");
    ChromeOptions options = new ChromeOptions().setBinary(System.getProperty("greenlight.chromium", "/usr/bin/chromium"))
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(System.getProperty("greenlight.chromedriver", "/usr/bin/chromedriver")).toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 1000));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    http.close();
    node.close();
    db.close();
  }

  String base() {
    return "http://127.0.0.1:" + node.httpPort() + "/";
  }

  /** Waits that look again when the page re-rendered under them (live updates redraw whole views). */
  WebDriverWait waitUp(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(browser, timeout);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** The text of an element, read again if the view was redrawn between finding and reading it. */
  String text(By by) {
    return waitUp(Duration.ofSeconds(10)).until(d -> d.findElement(by).getText());
  }

  WebElement waitFor(By by) {
    return waitUp(Duration.ofSeconds(30)).until(d -> {
      List<WebElement> found = d.findElements(by);
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  /** The forecast chart's markup, read again if the page redraws it meanwhile (it redraws on live updates). */
  String chart() {
    return waitUp(Duration.ofSeconds(10)).until(d -> d.findElement(By.cssSelector("svg.chart")).getAttribute("innerHTML"));
  }

  void waitText(By by, String text, Duration timeout) {
    waitUp(timeout).until(d -> {
      List<WebElement> found = d.findElements(by);
      return !found.isEmpty() && found.get(0).getText().contains(text);
    });
  }

  /** Screenshots the page, and audits its text contrast against WCAG 2.1 AA as rendered. */
  void shot(String name) throws Exception {
    Thread.sleep(300); // let the last render settle
    Path png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    Object failures = ((JavascriptExecutor) browser).executeScript(CONTRAST_AUDIT);
    assertThat((List<?>) failures).as("text below WCAG AA contrast on the %s page", name).isEmpty();
    audited.add(name);
  }

  static final String CONTRAST_AUDIT = read("/web/contrast-audit.js");
  final List<String> audited = new ArrayList<>();

  static String read(String resource) {
    try (var in = WebUiBrowserTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The navigation that loaded the current document: "navigate" when opened by address, "reload" after a reload. */
  String howThisDocumentLoaded() {
    return (String) ((JavascriptExecutor) browser).executeScript("return performance.getEntriesByType('navigation')[0].type");
  }

  void signIn(String key) {
    browser.get(base());
    if (!browser.findElements(By.id("signout")).isEmpty() && browser.findElement(By.id("signout")).isDisplayed()) {
      browser.findElement(By.id("signout")).click();
    }
    waitFor(By.id("apikey")).sendKeys(key);
    browser.findElement(By.cssSelector("#signin-form button")).click();
    waitFor(By.id("signout"));
  }

  @Test
  void aUserAndAnAdminThroughTheWholeUi() throws Exception {
    String alice = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "alice")).bodyAsJsonObject().getString("key");

    // a wrong key is refused with a message, and the page is usable by keyboard labels
    browser.get(base());
    assertThat(text(By.cssSelector("label[for=apikey]"))).isNotBlank();
    shot("signin");
    waitFor(By.id("apikey")).sendKeys("glk_not-a-key");
    browser.findElement(By.cssSelector("#signin-form button")).click();
    waitText(By.id("signin-error"), "not valid", Duration.ofSeconds(10));

    // signing in by keyboard: Enter in the key field submits the form
    browser.get(base());
    waitFor(By.id("apikey")).clear();
    browser.findElement(By.id("apikey")).sendKeys(alice + Keys.ENTER);
    waitFor(By.id("signout"));
    assertThat(text(By.id("who"))).contains("alice");
    assertThat(browser.findElement(By.id("nav-admin")).isDisplayed()).isFalse();
    // the key lives in the tab's session storage only
    assertThat(((JavascriptExecutor) browser).executeScript("return localStorage.length")).isEqualTo(0L);

    // discounts: the hourly price chart and a quote form; submit the +6h offline option
    browser.get(base() + "#/discounts");
    waitFor(By.cssSelector("svg[aria-label='credits per start hour'] rect"));
    browser.findElement(By.id("q-steps")).clear();
    browser.findElement(By.id("q-steps")).sendKeys("6");
    browser.findElement(By.cssSelector("#quote-form button[type=submit]")).click();
    waitFor(By.cssSelector("svg[aria-label='credits per option']"));
    List<WebElement> options = browser.findElements(By.cssSelector("button.submit-option"));
    assertThat(options).extracting(WebElement::getText).contains("Submit now", "Submit +6h");
    ((JavascriptExecutor) browser).executeScript("document.getElementById('quote-options').scrollIntoView()");
    shot("discounts");
    options.stream().filter(b -> b.getText().equals("Submit +6h")).findFirst().orElseThrow().click();

    // the job page: deferred, with the planner's reason
    waitText(By.id("job-state"), "deferred", Duration.ofSeconds(30));
    String deferredUrl = browser.getCurrentUrl();
    String deferredId = deferredUrl.substring(deferredUrl.lastIndexOf('/') + 1);
    // the plan comes with the planner's next tick, which sends no live event: the page looks for it itself, no reload
    assertThat(waitFor(By.id("plan-reason")).getText()).isNotBlank();
    assertThat(howThisDocumentLoaded()).isEqualTo("navigate");
    shot("job-deferred");

    // an online job with many steps: its progress moves on the queues page without a reload
    String running = http.post("/api/v1/jobs", alice, new JsonObject().put("prompt", "a slow pan over wheat fields")
        .put("resolution", "144p").put("duration_s", 1).put("steps", 60)).bodyAsJsonObject().getString("id");
    browser.get(base() + "#/queues");
    waitFor(By.cssSelector("svg[aria-label='jobs per state']"));
    By step = By.cssSelector("[data-running='" + running + "'] .step");
    waitUp(Duration.ofSeconds(60)).until(d -> !d.findElements(step).isEmpty()
        && d.findElement(step).getText().matches("step [1-9]\\d* of 60"));
    String first = text(step);
    shot("queues");
    waitUp(Duration.ofSeconds(60)).until(d -> {
      List<WebElement> now = d.findElements(step);
      return now.isEmpty() || !now.get(0).getText().equals(first); // moved on, or finished and left the running list
    });
    assertThat(howThisDocumentLoaded()).isEqualTo("navigate"); // not "reload": the page updated in place

    // the finished job: footprint chart, energy per phase and the video
    browser.get(base() + "#/jobs/" + running);
    waitUp(Duration.ofSeconds(120)).until(d -> {
      List<WebElement> s = d.findElements(By.id("job-state"));
      return !s.isEmpty() && s.get(0).getText().equals("succeeded");
    });
    waitFor(By.cssSelector("#footprint svg[aria-label='footprint'] rect"));
    waitFor(By.cssSelector("svg[aria-label='energy per phase'] rect"));
    waitUp(Duration.ofSeconds(20)).until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
        "const v = document.querySelector('#video img.video'); return v ? v.naturalWidth : 0")).intValue() > 0);
    assertThat(text(By.id("footprint"))).contains("gCO2e").contains("saved");
    shot("job");

    browser.get(base() + "#/jobs?mode=offline");
    waitFor(By.cssSelector("tr[data-job='" + deferredId + "']"));
    assertThat(browser.findElements(By.cssSelector("tr[data-job='" + running + "']"))).isEmpty();
    shot("jobs");

    // an admin: the forecast with its threshold, a validation message, then a threshold that releases the job
    signIn(ADMIN);
    browser.get(base() + "#/forecast");
    waitFor(By.cssSelector("svg.chart path"));
    assertThat(text(By.id("current"))).contains("300");
    assertThat(chart()).contains("planned");
    assertThat(text(By.id("threshold"))).isEqualTo("off");
    // a service younger than a day has no track record to smooth its forecast by
    assertThat(text(By.id("smoothing"))).isEqualTo("as it comes");
    shot("forecast-planned");

    browser.get(base() + "#/admin");
    WebElement reserve = waitFor(By.id("online_reserve"));
    reserve.clear();
    reserve.sendKeys("5");
    // the online headroom gone before it begins to fade
    WebElement headroomGone = browser.findElement(By.id("online_reserve_headroom_lead_h.none"));
    assertThat(headroomGone.getAttribute("value")).isEqualTo("3");
    headroomGone.clear();
    headroomGone.sendKeys("0.5");
    browser.findElement(By.cssSelector("#policy-form button[type=submit]")).click();
    waitText(By.id("online_reserve-error"), "0", Duration.ofSeconds(10));
    assertThat(text(By.id("online_reserve_headroom_lead_h.none-error"))).contains("at least full");
    reserve.clear();
    reserve.sendKeys("0.3");
    headroomGone.clear();
    headroomGone.sendKeys("6");
    WebElement threshold = browser.findElement(By.id("release_below_g_per_kwh"));
    threshold.clear();
    threshold.sendKeys("400");
    // keep the flat reserve rather than yesterday's online pattern
    WebElement fromHistory = browser.findElement(By.id("online_reserve_from_history"));
    assertThat(fromHistory.isSelected()).isTrue();
    fromHistory.click();
    browser.findElement(By.cssSelector("#policy-form button[type=submit]")).click();
    waitText(By.id("policy-msg"), "Saved", Duration.ofSeconds(10));
    assertThat(browser.findElement(By.id("policy-msg")).getAttribute("class")).isEqualTo("ok");
    assertThat(text(By.id("online_reserve-error"))).isEmpty();
    JsonObject saved = http.get("/api/v1/admin/policy", ADMIN).bodyAsJsonObject();
    assertThat(saved.getBoolean("online_reserve_from_history")).isFalse();
    assertThat(saved.getDouble("online_reserve_min")).isEqualTo(0.1);
    assertThat(saved.getDouble("online_reserve_headroom")).isEqualTo(1.25);
    assertThat(saved.getJsonObject("online_reserve_headroom_lead_h")).isEqualTo(new JsonObject().put("full", 1.0).put("none", 6.0));
    assertThat(saved.getDouble("release_below_g_per_kwh")).isEqualTo(400);
    shot("admin");

    // the next planning tick releases the deferred job (300 g/kWh now is below the new threshold); the page updates live
    browser.get(base() + "#/jobs/" + deferredId);
    waitUp(Duration.ofSeconds(60)).until(d -> {
      List<WebElement> s = d.findElements(By.id("job-state"));
      return !s.isEmpty() && List.of("queued", "running", "succeeded").contains(s.get(0).getText());
    });
    JsonObject released = http.get("/api/v1/jobs/" + deferredId, ADMIN).bodyAsJsonObject();
    List<String> reasons = new ArrayList<>();
    released.getJsonArray("events").forEach(e -> reasons.add(((JsonObject) e).getString("reason")));
    assertThat(String.join("\n", reasons)).containsIgnoringCase("threshold");

    // the forecast now draws the threshold every user's jobs are released under
    browser.get(base() + "#/forecast");
    waitText(By.id("threshold"), "400 g/kWh", Duration.ofSeconds(10));
    assertThat(chart()).contains("release below 400 g/kWh");
    shot("forecast");

    // a phone-sized screen: no horizontal scrolling
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.get(base() + "#/queues");
    waitFor(By.cssSelector("svg[aria-label='jobs per state']"));
    Object overflow = ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
    shot("queues-phone");
    assertThat(audited).hasSize(10);

    // the audit itself finds text that is too faint (#999 on white is 2.85:1)
    ((JavascriptExecutor) browser).executeScript("const p = document.createElement('p'); p.id = 'faint';"
        + " p.style.color = '#999'; p.style.background = '#fff'; p.textContent = 'faint words'; document.querySelector('main').append(p)");
    Object faint = ((JavascriptExecutor) browser).executeScript(CONTRAST_AUDIT);
    assertThat((List<?>) faint).singleElement().asString().contains("p#faint", "faint words", "2.85:1 < 4.5:1");
  }
}
