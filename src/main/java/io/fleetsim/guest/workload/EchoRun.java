package io.fleetsim.guest.workload;

import io.fleetsim.guest.NetStack;
import io.fleetsim.guest.UdpDatagram;
import io.fleetsim.guest.UdpSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One echo server run; prints its summary when stopped. */
final class EchoRun implements WorkloadRun {
  private final int port;
  private final NetStack stack;
  private final UdpSocket socket;
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private long echoed;
  private long bytes;
  private long dropped;
  private boolean done;

  EchoRun(int port, NetStack stack) {
    this.port = port;
    this.stack = stack;
    this.socket = stack.udpBind(port, this::onDatagram);
  }

  private void onDatagram(UdpDatagram d) {
    if (d.source().isAny() || d.sourcePort() == 0) { // nowhere to answer
      dropped++;
      return;
    }
    if (socket.send(d.source(), d.sourcePort(), d.payload()).accepted()) {
      echoed++;
      bytes += d.payload().length;
    } else {
      dropped++;
    }
  }

  @Override
  public CompletionStage<WorkloadResult> result() {
    return result.minimalCompletionStage();
  }

  @Override
  public void stop() {
    if (done) {
      return;
    }
    done = true;
    socket.close();
    EchoResult r = snapshot();
    stack.env().print(r.summary());
    result.complete(r);
  }

  @Override
  public EchoResult snapshot() {
    return new EchoResult(port, echoed, bytes, dropped);
  }

  @Override
  public boolean done() {
    return done;
  }
}
