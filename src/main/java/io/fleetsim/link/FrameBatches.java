package io.fleetsim.link;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Frames grouped while their consumer is busy: whoever takes frames one ack at a time (a fabric,
 * a NIC) gets everything that arrived meanwhile in one message, so the ack costs per batch.
 */
public final class FrameBatches {
  private FrameBatches() {}

  /** Up to {@code max} frames per batch; an empty consumer gets single frames at once. */
  public static Flow<ByteString, List<ByteString>, NotUsed> of(int max) {
    return Flow.<ByteString>create().batch(max, frame -> {
      List<ByteString> batch = new ArrayList<>();
      batch.add(frame);
      return batch;
    }, (batch, frame) -> {
      batch.add(frame);
      return batch;
    });
  }
}
