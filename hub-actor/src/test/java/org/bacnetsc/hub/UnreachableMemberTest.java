package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.bacnetsc.cluster.ClusterSettings;
import org.bacnetsc.transport.DevPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status that sees (issue 15): a member whose Artery stops without leaving shows in {@code /status} as Up but
 * unreachable, and {@code /metrics} counts it, before anything downs it.
 */
class UnreachableMemberTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Config CLUSTER = ConfigFactory.parseString("""
            pekko.cluster.failure-detector.heartbeat-interval = 200ms
            pekko.cluster.failure-detector.acceptable-heartbeat-pause = 1s
            """).withFallback(org.bacnetsc.cluster.ClusterTestConfig.MEMBER);
    /** Terminating it does not leave the cluster: as if its process were killed. */
    static final Config VANISHING = ConfigFactory.parseString(
            "pekko.coordinated-shutdown.run-by-actor-system-terminate = off").withFallback(CLUSTER);

    @TempDir
    Path dir;

    @Test
    void aMemberThatVanishesIsShownUnreachableBeforeItIsDowned() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
        ActorTestKit a = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, CLUSTER);
        ActorTestKit b = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, VANISHING);
        try {
            Cluster ca = Cluster.get(a.system());
            ca.manager().tell(Join.create(ca.selfMember().address()));
            Cluster.get(b.system()).manager().tell(Join.create(ca.selfMember().address()));
            a.createTestProbe().awaitAssert(WAIT, () -> {
                assertEquals(2, java.util.stream.StreamSupport.stream(ca.state().getMembers().spliterator(), false)
                        .filter(m -> m.status() == MemberStatus.up()).count());
                return null;
            });
            ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).clustered(true).start(a.system())
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            String bAddress = Cluster.get(b.system()).selfMember().address().toString();
            assertTrue(Management.metrics(a.system(), hub, hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .contains("\nbacnet_sc_hub_cluster_unreachable_members 0.0\n"));

            b.system().terminate();
            a.createTestProbe().awaitAssert(WAIT, () -> {
                HubStatus s = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
                JsonNode members = Management.JSON.readTree(Management.statusJson(a.system(), hub, s))
                        .path("cluster").path("members");
                JsonNode gone = null;
                for (JsonNode m : members) {
                    if (m.path("address").asText().equals(bAddress)) {
                        gone = m;
                    }
                }
                assertEquals("Up", gone.path("status").asText(), members.toString());
                assertEquals(false, gone.path("reachable").asBoolean(true), members.toString());
                assertTrue(Management.metrics(a.system(), hub, s)
                        .contains("\nbacnet_sc_hub_cluster_unreachable_members 1.0\n"));
                return null;
            });
            // Down it now, so that this member can leave cleanly.
            for (Member m : ca.state().getUnreachable()) {
                ca.manager().tell(new Down(m.address()));
            }
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            a.shutdownTestKit();
            b.shutdownTestKit();
        }
    }
}
