package io.fleetsim.experiment.run;

import io.fleetsim.link.CountingEdge;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * The VM's end of its in-process link (the port its NIC links to), counting the frames a crash
 * loses there, so that only those are booked as {@code vm-crash}.
 *
 * <p>When a VM crashes its NIC stops taking frames and cancels its side of the link. Passed on,
 * the cancel would stop the fabric side too, and Pekko drops, counted by nobody, a frame pushed
 * into a stage that is cancelled before it takes it. So towards the NIC this end does not pass the
 * cancel on: it takes what still comes, counted as lost, until the fabric side completes (it does
 * once the NIC's output has ended, which the NIC's own coupling ends). The one frame that can be
 * lost beyond this end is the one it had handed on when the cancel came, before the NIC's tap
 * counted it: the tap runs in the same stream, so at the cancel {@code passed - counted by the
 * tap} is exactly the frames lost between the two. Frames from the NIC need nothing: its side
 * completes, after the frames it already sent.
 */
final class CrashLoss implements Port {
  private final Port inner;
  private final LongSupplier countedByNic;
  private final LongAdder passed = new LongAdder();
  private final LongAdder lost = new LongAdder();
  // of lost: those handed on but never counted by the NIC's tap, booked at earlier cancels
  private final LongAdder uncounted = new LongAdder();
  // completes when the latest link's end here has stopped, its frames counted
  private volatile CompletableFuture<Void> ended = CompletableFuture.completedFuture(null);

  /** {@code countedByNic}: frames the NIC's tap counted coming in, over all its links. */
  CrashLoss(Port inner, LongSupplier countedByNic) {
    this.inner = inner;
    this.countedByNic = countedByNic;
  }

  /** Frames for the NIC lost because its end went away (a crash), over all links so far. */
  long lost() {
    return lost.sum();
  }

  /** Completes once the latest link has ended at this end, with what it lost counted. */
  CompletionStage<Void> linkEnded() {
    return ended;
  }

  /** Frames handed on towards the NIC, over all links so far. */
  long passed() {
    return passed.sum();
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public PortCounters counters() {
    return inner.counters();
  }

  @Override
  public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
    CompletableFuture<Void> end = new CompletableFuture<>();
    ended = end;
    return inner.link(outCount).via(CountingEdge.of("CrashLoss", passed, lost, this::nicGone,
        () -> end.complete(null)));
  }

  /** The frames handed on at the cancel that the NIC's tap never counted: lost with the cancel. */
  private void nicGone() {
    long gap = passed.sum() - countedByNic.getAsLong() - uncounted.sum();
    if (gap > 0) {
      uncounted.add(gap);
      lost.add(gap);
    }
  }
}
