package dev.greenlight.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named queries of one {@code .sql} resource. Each query starts with a line {@code -- name: some_name} and
 * runs to the next such line.
 */
public final class SqlFile {
  private static final Pattern HEADER = Pattern.compile("^--\\s*name:\\s*([a-z0-9_]+)\\s*$", Pattern.MULTILINE);
  private final String resource;
  private final Map<String, NamedQuery> queries;

  private SqlFile(String resource, Map<String, NamedQuery> queries) {
    this.resource = resource;
    this.queries = queries;
  }

  /** Loads {@code fileName} from the package of {@code owner}. */
  public static SqlFile of(Class<?> owner, String fileName) {
    String resource = owner.getPackageName().replace('.', '/') + "/" + fileName;
    try (InputStream in = owner.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + resource);
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SqlFile parse(String resource, String text) {
    Map<String, NamedQuery> queries = new LinkedHashMap<>();
    Matcher m = HEADER.matcher(text);
    String currentName = null;
    int bodyStart = 0;
    while (m.find()) {
      if (currentName != null) {
        queries.put(currentName, new NamedQuery(currentName, text.substring(bodyStart, m.start())));
      }
      currentName = m.group(1);
      bodyStart = m.end();
    }
    if (currentName != null) {
      queries.put(currentName, new NamedQuery(currentName, text.substring(bodyStart)));
    }
    return new SqlFile(resource, queries);
  }

  public NamedQuery get(String name) {
    NamedQuery q = queries.get(name);
    if (q == null) {
      throw new IllegalArgumentException("no query '" + name + "' in " + resource);
    }
    return q;
  }
}
