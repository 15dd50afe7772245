package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.UdpDatagram;
import io.fleetsim.guest.socket.UdpSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One echo server run; prints its summary when stopped. */
final class EchoRun implements WorkloadRun {
  private final int port;
  private final Sockets stack;
  private final UdpSocket socket;
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private long echoed;
  private long bytes;
  private long dropped;
  private boolean done;

  EchoRun(int port, Sockets stack) {
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
    stack.print(r.summary());
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
