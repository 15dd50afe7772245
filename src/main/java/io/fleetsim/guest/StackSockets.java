package io.fleetsim.guest;

import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.EchoListener;
import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpAcceptor;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpListener;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.Timer;
import io.fleetsim.guest.socket.UdpHandler;
import io.fleetsim.guest.socket.UdpSocket;
import java.util.Optional;
import java.util.SplittableRandom;

/** The socket API over one {@link NetStack}: what the guest OS hands its programs. */
final class StackSockets implements Sockets {
  private final NetStack stack;

  StackSockets(NetStack stack) {
    this.stack = stack;
  }

  @Override
  public long nanoTime() {
    return stack.nanoTime();
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    return stack.schedule(delayNanos, task)::cancel;
  }

  @Override
  public void print(String line) {
    stack.env().print(line);
  }

  @Override
  public SplittableRandom random() {
    return stack.env().random();
  }

  @Override
  public Optional<Ipv4Address> address() {
    return stack.config().map(Ipv4Config::address);
  }

  @Override
  public Optional<Cidr> subnet() {
    return stack.config().map(c -> new Cidr(c.address(), c.prefixLength()));
  }

  @Override
  public UdpSocket udpBind(int port, UdpHandler handler) {
    return stack.udpBind(port, handler);
  }

  @Override
  public boolean canSend(Ipv4Address destination) {
    return stack.canSend(destination);
  }

  @Override
  public void whenCanSend(Ipv4Address destination, Runnable task) {
    stack.whenCanSend(destination, task);
  }

  @Override
  public EchoSocket openEcho(EchoListener listener) {
    return stack.openEcho(listener);
  }

  @Override
  public TcpListener tcpListen(int port, TcpAcceptor acceptor) {
    return stack.tcpListen(port, acceptor);
  }

  @Override
  public TcpSocket tcpConnect(Ipv4Address host, int port, TcpHandler handler) {
    return stack.tcpConnect(host, port, handler);
  }
}
