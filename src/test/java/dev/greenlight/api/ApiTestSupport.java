package dev.greenlight.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/** Shared assertions for API tests in other packages. */
public final class ApiTestSupport {
  private ApiTestSupport() {}

  public static void assertProblem(HttpResponse<Buffer> r, int status, String field) {
    ApiTest.assertProblem(r, status, field);
  }
}
