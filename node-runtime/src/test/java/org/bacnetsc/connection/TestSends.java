package org.bacnetsc.connection;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** A probe for {@link SendResult}s. */
final class TestSends {
    final TestProbe<SendResult> probe;

    TestSends(ActorTestKit kit) {
        this.probe = kit.createTestProbe();
    }

    ActorRef<SendResult> ref() {
        return probe.ref();
    }
}
