package dev.greenlight.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Address classes the guard refuses; IP literals only, so nothing is resolved and nothing is sent. */
class UrlGuardTest {
  final UrlGuard none = new UrlGuard(List.of());

  @Test
  void refusesEveryNonPublicClass() {
    assertThat(none.problem("http://127.0.0.1/x")).contains("loopback");
    assertThat(none.problem("http://127.9.9.9/x")).contains("loopback");
    assertThat(none.problem("http://[::1]/x")).contains("loopback");
    assertThat(none.problem("http://10.1.2.3/x")).contains("private");
    assertThat(none.problem("http://172.20.0.1/x")).contains("private");
    assertThat(none.problem("http://192.168.1.1/x")).contains("private");
    assertThat(none.problem("http://169.254.169.254/latest/meta-data")).contains("link-local");
    assertThat(none.problem("http://[fe80::1]/x")).contains("link-local");
    assertThat(none.problem("http://[fd00:ec2::254]/x")).contains("unique local");
    assertThat(none.problem("http://100.64.0.1/x")).contains("CGNAT");
    assertThat(none.problem("http://224.0.0.1/x")).contains("multicast");
    assertThat(none.problem("http://0.0.0.0/x")).contains("unspecified");
    assertThat(none.problem("http://[::ffff:127.0.0.1]/x")).isNotNull();
    assertThat(none.problem("file:///etc/passwd")).contains("http or https");
    assertThat(none.problem("http:///nohost")).isNotNull();
  }

  @Test
  void allowListByIpCidrOrHost() {
    UrlGuard g = new UrlGuard(List.of("127.0.0.1", "10.0.0.0/8", "internal.example"));
    assertThat(g.problem("http://127.0.0.1:8080/hook")).isNull();
    assertThat(g.problem("http://127.0.0.2:8080/hook")).contains("loopback");
    assertThat(g.problem("https://10.200.3.4/hook")).isNull();
    assertThat(g.problem("https://11.0.0.1/hook")).isNull(); // public: allowed anyway (nothing is sent here)
    assertThat(g.problem("https://internal.example/hook")).isNull(); // allow-listed name: not even resolved
  }
}
