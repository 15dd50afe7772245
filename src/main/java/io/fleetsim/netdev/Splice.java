package io.fleetsim.netdev;

import io.fleetsim.link.DropCause;
import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A two-port hub whose ports are both stream netdevs, run socket to socket: every frame from one
 * peer can only go to the other, so the frames never need to leave the kernel's byte order or
 * become heap objects. One thread of the splice's own reads a chunk from one socket into a
 * direct buffer, walks the 4-byte length prefixes in place (to count, to enforce the frame
 * limit, and to keep a partial frame back) and writes the complete frames to the other socket.
 *
 * <p>Everything a user sees is the hub's: the same {@link PortCounters} (counted per chunk; frames
 * out once the chunk is written to the other socket, as a stream netdev counts them),
 * {@link DropCause#NO_PEER} drops while one side has no peer, {@link DropCause#PEER_LOST} for
 * frames queued for (not completely written) or half-read from a peer that went, an oversize
 * length closes only that connection. The netdev actors keep listening, connecting and reconnecting as ever; they hand
 * each connected socket to their {@link End} instead of running a stream.
 *
 * <p>Back-pressure: a side is read only once everything read before has been written to the
 * other (or dropped because it has no peer), so a peer that stops reading stops its sender at
 * one buffer of memory; TCP does the rest, nothing is lost.
 */
public final class Splice {
  private static final Logger LOG = LoggerFactory.getLogger(Splice.class);
  private static final int HEADER = FrameDecoder.HEADER;
  /** Bytes read per call: about what one socket buffer hands over on loopback. */
  private static final int CHUNK = 256 * 1024;

  private final String name;
  private final int maxFrame;
  private final Side first;
  private final Side second;
  private final Object lock = new Object();
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // guarded by lock
  private Thread thread; // guarded by lock; runs while a side has a peer or a task is queued
  private Selector selector; // guarded by lock; the running thread's

  private Splice(Port first, Port second, NetdevSettings settings) {
    this.name = first.name() + "-" + second.name();
    this.maxFrame = settings.maxFrame();
    // a partial frame is kept while the next chunk is read behind it: room for both
    int capacity = Math.max(CHUNK, 2 * (HEADER + settings.maxFrame()));
    this.first = new Side(first, capacity);
    this.second = new Side(second, capacity);
    this.first.other = this.second;
    this.second.other = this.first;
  }

  /**
   * The two ports to give the two netdevs of a two-port hub instead of the hub's own ports
   * (which keep the counters). Only netdevs {@link #supports supported} may be given them.
   */
  public static List<Port> pair(Port first, Port second, NetdevSettings settings) {
    Splice splice = new Splice(first, second, settings);
    return List.of(splice.first.end, splice.second.end);
  }

  /** Whether {@code spec}'s netdev can run spliced: a stream socket it opens itself (no fd=). */
  public static boolean supports(NetdevSpec spec) {
    return spec instanceof NetdevSpec.Stream stream
        && (stream.addr() instanceof SocketAddr.Inet || stream.addr() instanceof SocketAddr.Unix);
  }

  /**
   * One side of a splice as the netdev sees it: a {@link Port} that offers itself as an
   * {@link Port#extension extension}, so stream netdevs attach their peers' sockets to it. Its
   * {@link #link} is the hub port's own: a netdev that runs a link instead reaches the hub, whose
   * other port (spliced) has no link, so its frames are counted there as no-peer.
   */
  final class End implements Port {
    private final Side side;
    private final Port hubPort;

    private End(Side side, Port hubPort) {
      this.side = side;
      this.hubPort = hubPort;
    }

    @Override
    public String name() {
      return hubPort.name();
    }

    @Override
    public PortCounters counters() {
      return hubPort.counters();
    }

    @Override
    public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
      return hubPort.link(outCount);
    }

    @Override
    public <T> Optional<T> extension(Class<T> type) {
      return type == End.class ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Takes over an accepted connection; {@code peer} is its address for the link's outcome. */
    PeerLink attach(SocketChannel channel, String peer) {
      Attachment attachment = new Attachment(side, peer);
      submit(() -> Splice.this.attach(attachment, channel));
      return attachment.link();
    }

    /** Connects to {@code addr} and takes over the connection, as {@link StreamTransport#connect}. */
    PeerLink connect(SocketAddr addr) {
      Attachment attachment = new Attachment(side, addr.toString());
      StreamTransport.connectChannel(addr).whenComplete((channel, failure) -> {
        if (failure != null) {
          attachment.connected.completeExceptionally(failure);
        } else {
          submit(() -> Splice.this.attach(attachment, channel));
        }
      });
      return attachment.link();
    }
  }

  /** One connected peer of a side, from attach until its link ends. */
  private final class Attachment {
    final Side side;
    final String peer;
    final CompletableFuture<String> connected = new CompletableFuture<>();
    final CompletableFuture<LinkEnd> ended = new CompletableFuture<>();
    SocketChannel channel; // set on the splice thread
    boolean closed; // closed before it was attached (its netdev stopped): guarded by lock

    Attachment(Side side, String peer) {
      this.side = side;
      this.peer = peer;
    }

    PeerLink link() {
      return PeerLink.of(connected, ended, () -> {
        synchronized (lock) {
          closed = true;
        }
        submit(() -> {
          if (side.current == this) {
            end(side, null);
          }
        });
      });
    }
  }

  /** One port of the splice; {@link #out} carries the frames read from its peer. */
  private final class Side {
    final End end;
    final PortCounters counters;
    final Direction out;
    Side other;
    Attachment current; // the peer, null while there is none
    SelectionKey key;

    Side(Port hubPort, int capacity) {
      this.end = new End(this, hubPort);
      this.counters = hubPort.counters();
      this.out = new Direction(this, capacity);
    }
  }

  /**
   * Frames from one side's peer to the other's. Buffer layout: {@code [0, sent)} written,
   * {@code [sent, framed)} complete frames not yet written, {@code [framed, filled)} the start
   * of a frame still being read. Offset 0 is always a frame boundary.
   */
  private static final class Direction {
    final Side source;
    final ByteBuffer buffer;
    int sent;
    int framed;
    int filled;
    boolean awaitingRead; // the source socket had nothing: wait for OP_READ
    boolean awaitingWrite; // the sink socket was full: wait for OP_WRITE
    // the frames in [0, framed): counted out once all of them are written
    long framedFrames;
    long framedBytes;

    Direction(Side source, int capacity) {
      this.source = source;
      this.buffer = ByteBuffer.allocateDirect(capacity);
    }

    /** Moves the partial frame to the front once everything before it is written. */
    void compact() {
      if (framed > 0) {
        buffer.limit(filled).position(framed);
        buffer.compact();
        filled -= framed;
        framed = 0;
        sent = 0;
      }
    }

    /**
     * Counts the frames of {@code [0, framed)} on {@code sink}: out if completely written, else
     * lost (one may be half-written). Only when a peer leaves: otherwise whole chunks are counted.
     */
    void countPartlyWritten(PortCounters sink) {
      long frames = 0;
      long bytes = 0;
      int p = 0;
      buffer.limit(buffer.capacity()); // absolute reads are checked against the limit
      while (p < framed) {
        int length = buffer.getInt(p);
        p += HEADER + length;
        if (p <= sent) {
          frames++;
          bytes += length;
        }
      }
      if (frames > 0) {
        sink.framesOut(frames, bytes);
      }
      if (framedFrames > frames) {
        sink.drop(DropCause.PEER_LOST, framedFrames - frames);
      }
      framedFrames = 0;
      framedBytes = 0;
    }
  }

  // --- any thread ---------------------------------------------------------------------------

  /** Runs {@code task} on the splice thread, starting it if it is not running. */
  private void submit(Runnable task) {
    synchronized (lock) {
      tasks.add(task);
      if (thread == null) {
        try {
          selector = Selector.open();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        thread = new Thread(this::run, "fleetsim-splice-" + name);
        thread.setDaemon(true);
        thread.start();
      } else {
        selector.wakeup();
      }
    }
  }

  // --- the splice thread ----------------------------------------------------------------------

  private void run() {
    Selector sel;
    synchronized (lock) {
      sel = selector;
    }
    try {
      while (runTasks(sel)) {
        boolean moved = pump(first.out, second) | pump(second.out, first);
        interest(first);
        interest(second);
        if (moved) {
          sel.selectNow(); // more may be ready at once: look without sleeping
        } else {
          sel.select(); // until a socket is ready or a task arrives (submit wakes it)
        }
        for (SelectionKey key : sel.selectedKeys()) {
          ready(key);
        }
        sel.selectedKeys().clear();
      }
    } catch (IOException | RuntimeException e) {
      // Nothing here should throw; if it does, drop both peers rather than hang them.
      LOG.error("splice {}: {}; closing both peers", name, e.toString(), e);
      end(first, e);
      end(second, e);
      synchronized (lock) {
        tasks.clear();
        thread = null;
        closeQuietly(sel);
      }
    }
  }

  /** Runs queued tasks; false (and the thread ends) when there is nothing left to splice. */
  private boolean runTasks(Selector sel) {
    while (true) {
      Runnable task;
      synchronized (lock) {
        task = tasks.poll();
        if (task == null) {
          if (first.current == null && second.current == null) {
            thread = null;
            selector = null;
            closeQuietly(sel);
            return false;
          }
          return true;
        }
      }
      task.run();
    }
  }

  private void attach(Attachment attachment, SocketChannel channel) {
    Side side = attachment.side;
    boolean closed;
    synchronized (lock) {
      closed = attachment.closed;
    }
    if (closed) {
      ChannelTransport.closeQuietly(channel);
      attachment.connected.completeExceptionally(new StartFailure("netdev stopped"));
      return;
    }
    if (side.current != null) {
      end(side, null); // a netdev runs one peer at a time; never two readers on one side
    }
    try {
      channel.configureBlocking(false);
      if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      Selector sel;
      synchronized (lock) {
        sel = selector;
      }
      side.key = channel.register(sel, 0, side);
    } catch (IOException | RuntimeException e) {
      ChannelTransport.closeQuietly(channel);
      attachment.connected.complete(attachment.peer);
      attachment.ended.complete(PeerLink.outcome(e, side.counters));
      return;
    }
    attachment.channel = channel;
    side.current = attachment;
    side.out.awaitingRead = false;
    // "connected" only now: whoever hears it may send at once, and those frames must flow
    attachment.connected.complete(attachment.peer);
  }

  /**
   * Writes what is pending from {@code d} to {@code sink}, then, if all of it is out, reads the
   * next chunk from its source and writes that. True if any byte moved or a peer ended.
   */
  private boolean pump(Direction d, Side sink) {
    boolean moved = write(d, sink);
    if (d.sent < d.framed) {
      return moved; // the sink is full: read nothing more from the source meanwhile
    }
    d.compact();
    Attachment source = d.source.current;
    if (source == null || d.awaitingRead) {
      return moved;
    }
    int n;
    try {
      d.buffer.limit(d.buffer.capacity()).position(d.filled);
      n = source.channel.read(d.buffer);
    } catch (IOException e) {
      end(d.source, e);
      return true;
    }
    if (n == 0) {
      d.awaitingRead = true;
      return moved;
    }
    if (n < 0) {
      end(d.source, null); // the peer closed
      return true;
    }
    d.filled += n;
    frame(d, sink);
    write(d, sink);
    return true;
  }

  /** Walks the length prefixes of the new bytes and counts the complete frames, per chunk. */
  private void frame(Direction d, Side sink) {
    ByteBuffer b = d.buffer;
    int p = d.framed;
    int filled = d.filled;
    long frames = 0;
    long bytes = 0;
    long oversize = -1;
    while (filled - p >= HEADER) {
      long length = b.getInt(p) & 0xffffffffL;
      if (length > maxFrame) {
        oversize = length;
        break;
      }
      if (filled - p - HEADER < length) {
        break;
      }
      p += HEADER + (int) length;
      frames++;
      bytes += length;
    }
    d.framed = p;
    if (frames > 0) {
      d.source.counters.framesIn(frames, bytes);
      if (sink.current != null) {
        d.framedFrames = frames; // out once written (see write)
        d.framedBytes = bytes;
      } else {
        sink.counters.drop(DropCause.NO_PEER, frames);
        d.sent = d.framed;
      }
    }
    if (oversize >= 0) {
      // QEMU closes the connection; the frames before the bad length still go through
      d.filled = d.framed;
      end(d.source, new OversizeFrameException(oversize, maxFrame));
    }
  }

  private boolean write(Direction d, Side sink) {
    if (d.sent == d.framed || d.awaitingWrite) {
      return false;
    }
    int n;
    try {
      d.buffer.limit(d.framed).position(d.sent);
      n = sink.current.channel.write(d.buffer);
    } catch (IOException e) {
      end(sink, e);
      return true;
    }
    d.sent += n;
    if (d.sent < d.framed) {
      d.awaitingWrite = true;
    } else if (d.framedFrames > 0) {
      // frames out counts what was written to the socket, as a stream netdev does
      sink.counters.framesOut(d.framedFrames, d.framedBytes);
      d.framedFrames = 0;
      d.framedBytes = 0;
    }
    return n > 0;
  }

  /** Sets what {@code side}'s socket is waited for. */
  private void interest(Side side) {
    if (side.current == null || side.key == null || !side.key.isValid()) {
      return;
    }
    int ops = (side.out.awaitingRead ? SelectionKey.OP_READ : 0)
        | (side.other.out.awaitingWrite ? SelectionKey.OP_WRITE : 0);
    if (side.key.interestOps() != ops) {
      side.key.interestOps(ops);
    }
  }

  private void ready(SelectionKey key) {
    Side side = (Side) key.attachment();
    if (!key.isValid() || side.key != key) {
      return; // a peer that has since ended
    }
    int ready = key.readyOps();
    if ((ready & SelectionKey.OP_READ) != 0) {
      side.out.awaitingRead = false;
    }
    if ((ready & SelectionKey.OP_WRITE) != 0) {
      side.other.out.awaitingWrite = false;
    }
  }

  /**
   * {@code side}'s peer is gone ({@code cause} null for a clean close or a stop): counts what
   * it takes with it, as the hub would, and tells its netdev.
   */
  private void end(Side side, Throwable cause) {
    Attachment peer = side.current;
    if (peer == null) {
      return;
    }
    side.current = null;
    side.key = null;
    ChannelTransport.closeQuietly(peer.channel); // also cancels its key
    Direction in = side.other.out;
    if (in.sent < in.framed) {
      in.countPartlyWritten(side.counters);
      in.sent = in.framed;
    }
    in.awaitingWrite = false;
    Direction out = side.out;
    out.awaitingRead = false;
    Throwable failure = cause;
    if (out.filled > out.framed && !(cause instanceof OversizeFrameException)) {
      failure = new TruncatedFrameException(out.filled - out.framed, cause);
    }
    out.filled = out.framed; // complete frames still go to the other side
    peer.ended.complete(PeerLink.outcome(failure, side.counters));
  }

  private static void closeQuietly(Selector selector) {
    try {
      selector.close();
    } catch (IOException e) {
      // nothing registered any more; the fd goes with the process at worst
    }
  }
}
