package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;

/**
 * A fabric port driven by the test: each materialized link hands out a probe for the frames that
 * came from the wire (the test decides the demand) and one for frames to put on the wire.
 */
final class ProbePort implements Port {
  static final Duration WAIT = Duration.ofSeconds(10);

  record Link(TestSubscriber.Probe<ByteString> fromWire, TestPublisher.Probe<ByteString> toWire) {
    /** Requests one frame and waits for it. */
    ByteString next() {
      fromWire.request(1);
      return fromWire.expectNext(WAIT);
    }
  }

  private final String name;
  private final ClassicActorSystemProvider system;
  private final PortCounters counters = new PortCounters();
  private final BlockingQueue<Link> links = new LinkedBlockingQueue<>();

  ProbePort(String name, ClassicActorSystemProvider system) {
    this.name = name;
    this.system = system;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PortCounters counters() {
    return counters;
  }

  @Override
  public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
    return Flow.fromSinkAndSourceMat(TestSink.<ByteString>create(system),
            TestSource.<ByteString>create(system), Keep.both())
        .mapMaterializedValue(probes -> {
          links.add(new Link(probes.first(), probes.second()));
          return NotUsed.getInstance();
        });
  }

  Link awaitLink() throws InterruptedException {
    Link link = links.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (link == null) {
      throw new AssertionError("port " + name + ": no link materialized within " + WAIT);
    }
    return link;
  }

  /** Links materialized and not yet taken by {@link #awaitLink()}. */
  int pendingLinks() {
    return links.size();
  }

  long drops(String cause) {
    return counters.snapshot(name).drops().get(cause);
  }
}
