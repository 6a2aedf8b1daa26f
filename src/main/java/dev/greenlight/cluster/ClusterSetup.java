package dev.greenlight.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.TcpIpConfig;
import dev.greenlight.config.GreenlightConfig;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the Hazelcast cluster manager from {@code config/cluster.xml} (on disk, else the packaged copy), with
 * the cluster name, member list, port and bind address taken from Greenlight's configuration.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

  public static HazelcastClusterManager clusterManager(GreenlightConfig.ClusterConfig cluster) {
    Config hz = load();
    hz.setClusterName(cluster.name());
    hz.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(true);
    hz.getNetworkConfig().setPublicAddress(null);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    hz.setProperty("hazelcast.local.localAddress", cluster.host());
    TcpIpConfig tcp = hz.getNetworkConfig().getJoin().getTcpIpConfig();
    tcp.setEnabled(true).setMembers(cluster.members());
    hz.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    return new HazelcastClusterManager(hz);
  }

  private static Config load() {
    Path onDisk = Path.of("config/cluster.xml");
    try (InputStream in = Files.isRegularFile(onDisk) ? Files.newInputStream(onDisk)
        : ClusterSetup.class.getClassLoader().getResourceAsStream("config/cluster.xml")) {
      if (in == null) {
        throw new IllegalStateException("config/cluster.xml is missing");
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
