package dev.greenlight.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One named statement from a {@code .sql} file. Parameters are written {@code :name} (a {@code ::type} cast is
 * left alone); {@link #prepare} binds them by name, converting {@link Instant} and {@code String[]}.
 */
public final class NamedQuery {
  private final String name;
  private final String sql;
  private final List<String> parameters;

  NamedQuery(String name, String text) {
    this.name = name;
    StringBuilder out = new StringBuilder();
    List<String> params = new ArrayList<>();
    int i = 0;
    boolean inString = false;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'') {
        inString = !inString;
        out.append(c);
        i++;
      } else if (!inString && c == ':' && i + 1 < text.length() && text.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (!inString && c == ':' && i + 1 < text.length() && Character.isJavaIdentifierStart(text.charAt(i + 1))) {
        int j = i + 1;
        while (j < text.length() && Character.isJavaIdentifierPart(text.charAt(j))) {
          j++;
        }
        params.add(text.substring(i + 1, j));
        out.append('?');
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    this.sql = out.toString().trim();
    this.parameters = List.copyOf(params);
  }

  public String name() {
    return name;
  }

  public String sql() {
    return sql;
  }

  /** Prepares the statement and binds {@code nameValuePairs} (name, value, name, value, ...). */
  public PreparedStatement prepare(Connection c, Object... nameValuePairs) throws SQLException {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException(name + ": parameters must come in name/value pairs");
    }
    Map<String, Object> values = new HashMap<>();
    for (int k = 0; k < nameValuePairs.length; k += 2) {
      values.put((String) nameValuePairs[k], nameValuePairs[k + 1]);
    }
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      bind(c, ps, values);
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
    return ps;
  }

  /** Binds the values of one row of a batch onto an already prepared statement. */
  public void bind(Connection c, PreparedStatement ps, Map<String, Object> values) throws SQLException {
    for (int p = 0; p < parameters.size(); p++) {
      String param = parameters.get(p);
      if (!values.containsKey(param)) {
        throw new IllegalArgumentException(name + ": no value for :" + param);
      }
      Object v = values.get(param);
      int index = p + 1;
      if (v == null) {
        ps.setNull(index, Types.NULL);
      } else if (v instanceof Instant t) {
        ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
      } else if (v instanceof String[] arr) {
        Array array = c.createArrayOf("text", arr);
        ps.setArray(index, array);
      } else if (v instanceof Integer[] arr) {
        ps.setArray(index, c.createArrayOf("int4", arr));
      } else if (v instanceof java.util.UUID[] arr) {
        ps.setArray(index, c.createArrayOf("uuid", arr));
      } else {
        ps.setObject(index, v);
      }
    }
  }
}
