package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.TcpStats;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One TCP connection: its TCB and state machine after RFC 9293 3.10 (segment arrival in the
 * RFC's order: sequence check, RST, SYN, ACK, data, FIN), RFC 6298 retransmission timing,
 * RFC 5681/6582 congestion control (slow start, congestion avoidance, fast retransmit, NewReno
 * fast recovery), RFC 7323 window scaling, RFC 1122 delayed ACKs and keep-alive, zero-window
 * probes and the user timeout. Constants and their reasons are in docs/tcp.md.
 *
 * <p>Callbacks: those caused by a segment or a timer run from there, after the segment is fully
 * processed; those caused by a call of the program ({@link #abort}, a failed connect) come from
 * a zero-delay timer, never from inside the call.
 */
final class TcpConnection implements TcpSocket {
  /** Our MSS: a 1500-byte MTU less the IPv4 and TCP headers. */
  static final int OUR_MSS = Ethernet.MTU - Ipv4Header.MIN_HEADER - TcpSegment.HEADER;
  /** The send MSS when the peer's SYN has no MSS option (RFC 9293 3.7.1). */
  static final int DEFAULT_MSS = 536;
  /** The smallest send MSS we accept from a peer's option (a zero MSS would stall). */
  static final int MIN_MSS = 64;
  static final int SEND_BUFFER = 256 * 1024;
  static final int RECEIVE_BUFFER = 256 * 1024;
  /** Our window scale: the smallest shift that lets the whole receive buffer be advertised. */
  static final int WINDOW_SHIFT = shiftFor(RECEIVE_BUFFER);
  /** RFC 6928: min(10 MSS, max(2 MSS, 14600)). */
  static final int INITIAL_WINDOW_SEGMENTS = 10;
  /** Linux's delayed-ACK minimum; RFC 1122 allows up to 500 ms. */
  static final long DELAYED_ACK = 40_000_000L;
  /** Maximum segment lifetime: TIME-WAIT lasts 2 MSL = 60 s, as on Linux. */
  static final long MSL = 30_000_000_000L;
  static final long TIME_WAIT = 2 * MSL;
  /** Unacknowledged data (or SYN) longer than this aborts the connection. */
  static final long DEFAULT_USER_TIMEOUT = 60_000_000_000L;
  /** After close(), FIN-WAIT-2 waits this long for the peer's FIN (Linux tcp_fin_timeout). */
  static final long FIN_WAIT_2_TIMEOUT = 60_000_000_000L;
  /** Keep-alive probe interval cap (Linux tcp_keepalive_intvl) and count (tcp_keepalive_probes). */
  static final long KEEPALIVE_INTERVAL = 75_000_000_000L;
  static final int KEEPALIVE_PROBES = 9;
  static final long MAX_PERSIST = 60_000_000_000L;
  /** writable() waits for this much room, so a writer refills in large pieces. */
  static final int WRITABLE_THRESHOLD = SEND_BUFFER / 4;

  final Tcp tcp;
  final int localIp;
  final int localPort;
  final int remoteIp;
  final int remotePort;
  final long key;
  private final Tcp.Listening listener;
  private TcpHandler handler;
  private TcpState state = TcpState.CLOSED;

  // send side (RFC 9293 3.3.1 names)
  private final int iss;
  private int sndUna;
  private int sndNxt;
  /** The highest sequence sent so far plus one: below it a segment is a retransmission. */
  private int sndMax;
  /** The sequence number of sendBuffer's first byte. */
  private int dataBase;
  private boolean finQueued;
  private int finSeq;
  private long sndWnd;
  private int sndWl1;
  private int sndWl2;
  private int sndShift;
  private int rcvShift;
  private int mss = DEFAULT_MSS;
  private final TcpSendBuffer sendBuffer = new TcpSendBuffer(SEND_BUFFER);

  // receive side
  private int irs;
  private int rcvNxt;
  /** Stream offset of rcvNxt (bytes of the peer's stream received in order). */
  private long rcvStream;
  private int rcvAdvRight;
  private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
  private int inboxBytes;
  private final TcpReassembly outOfOrder = new TcpReassembly();
  /** Stream offset of the peer's FIN once seen, -1 before. */
  private long finAt = -1;
  private boolean finReceived;
  private boolean peerClosedReported;
  private boolean paused;
  private boolean userClosed;
  private boolean closedReported;
  private boolean orderlyDone;
  private boolean wantWritable;
  private boolean writableDue;
  private boolean delivering;

  // congestion control
  private long cwnd;
  private long ssthresh = Long.MAX_VALUE / 4;
  private long caAcked;
  private boolean inRecovery;
  private boolean partialAckSeen;
  private int recover;
  private int dupAcks;
  private final TcpRtt rtt = new TcpRtt();
  private boolean timing;
  private int timedSeq;
  private long timedAt;

  // timers
  private GuestEnv.Cancellable rexmitTimer;
  /** When the retransmission timer expires, if {@link #rexmitOn}. */
  private long rexmitDeadline;
  private boolean rexmitOn;
  private long rexmitTimerAt;
  private GuestEnv.Cancellable delackTimer;
  private GuestEnv.Cancellable persistTimer;
  private GuestEnv.Cancellable keepTimer;
  private GuestEnv.Cancellable waitTimer;
  private long persistDelay;
  private long progressAt;
  private long userTimeout = DEFAULT_USER_TIMEOUT;
  private long keepIdle;
  private int keepProbes;
  private long lastHeard;
  private boolean ackPending;
  private boolean ackNow;
  private int segmentsUnacked;
  private boolean awaitingLink;

  // statistics
  private long segmentsSent;
  private long segmentsReceived;
  private long bytesSent;
  private long bytesAcked;
  private long bytesReceived;
  private long retransmissions;
  private long timeouts;
  private long fastRetransmits;
  private long duplicateAcks;
  private long outOfOrderSegments;

  TcpConnection(Tcp tcp, int localIp, int localPort, int remoteIp, int remotePort,
      TcpHandler handler, Tcp.Listening listener, int iss) {
    this.tcp = tcp;
    this.localIp = localIp;
    this.localPort = localPort;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.key = Tcp.key(remoteIp, remotePort, localPort);
    this.handler = handler;
    this.listener = listener;
    this.iss = iss;
    this.recover = iss;
    this.lastHeard = tcp.timers.now();
  }

  static int shiftFor(int buffer) {
    int shift = 0;
    while ((buffer >> shift) > 0xFFFF) {
      shift++;
    }
    return shift;
  }

  // ---- opening ----

  /** Active open: SYN-SENT. */
  void open() {
    state = TcpState.SYN_SENT;
    sndUna = iss;
    sndNxt = iss + 1;
    sndMax = iss + 1;
    dataBase = iss + 1;
    rcvShift = WINDOW_SHIFT;
    progressAt = now();
    sendSyn(false);
    startRexmit();
  }

  /** A SYN reached our listener: SYN-RECEIVED. */
  void passiveOpen(TcpSegment s) {
    segmentsReceived++;
    state = TcpState.SYN_RECEIVED;
    irs = s.seq();
    rcvNxt = irs + 1;
    peerOptions(s);
    sndWnd = s.window();
    sndWl1 = s.seq();
    sndWl2 = iss;
    sndUna = iss;
    sndNxt = iss + 1;
    sndMax = iss + 1;
    dataBase = iss + 1;
    progressAt = now();
    sendSyn(false);
    startRexmit();
  }

  /** The connect could not even start: report it from a timer, never inside tcpConnect. */
  void failLater(String message) {
    state = TcpState.CLOSED;
    reportLater(new TcpError(TcpError.Kind.NO_ROUTE, message));
  }

  private void peerOptions(TcpSegment s) {
    int peerMss = s.mss() == TcpSegment.ABSENT ? DEFAULT_MSS : s.mss();
    mss = Math.max(MIN_MSS, Math.min(peerMss, OUR_MSS));
    // RFC 7323 2.2: scale only when both SYNs carry the option.
    if (s.windowScale() != TcpSegment.ABSENT) {
      sndShift = s.windowScale();
      rcvShift = WINDOW_SHIFT;
    } else {
      sndShift = 0;
      rcvShift = 0;
    }
  }

  private boolean scaling() {
    return rcvShift != 0 || sndShift != 0;
  }

  private void sendSyn(boolean again) {
    boolean ack = state == TcpState.SYN_RECEIVED;
    // Active open always offers scaling; a SYN-ACK offers it only when the peer did.
    int scale = !ack || scaling() ? WINDOW_SHIFT : TcpSegment.ABSENT;
    int window = Math.min(receiveSpace(), 0xFFFF);
    rcvAdvRight = rcvNxt + window;
    if (again) {
      countRetransmission();
      timing = false;
    } else if (!timing) {
      timing = true;
      timedSeq = iss;
      timedAt = now();
    }
    transmit(iss, ack ? rcvNxt : 0, TcpSegment.SYN | (ack ? TcpSegment.ACK : 0), window, OUR_MSS,
        scale, 0, 0);
  }

  private void established() {
    state = finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
    cwnd = Math.min((long) INITIAL_WINDOW_SEGMENTS * mss, Math.max(2L * mss, 14600));
    armKeepalive();
    if (listener != null) {
      handler = Objects.requireNonNull(listener.acceptor().accepted(this),
          "the acceptor returned no handler");
    } else {
      handler.connected(this);
    }
  }

  // ---- segment arrival (RFC 9293 3.10.7) ----

  void segment(TcpSegment s, byte[] frame) {
    segmentsReceived++;
    lastHeard = now();
    keepProbes = 0;
    if (state == TcpState.SYN_SENT) {
      synSent(s);
    } else {
      synchronizedOrSynReceived(s, frame);
    }
    afterSegment();
  }

  private void synSent(TcpSegment s) {
    boolean ack = s.has(TcpSegment.ACK);
    if (ack && (TcpSeq.leq(s.ack(), iss) || TcpSeq.gt(s.ack(), sndMax))) {
      if (!s.has(TcpSegment.RST)) {
        sendReset(s.ack());
      }
      return;
    }
    if (s.has(TcpSegment.RST)) {
      if (ack) {
        fail(TcpError.Kind.REFUSED, "connection to " + peer() + " refused");
      }
      return;
    }
    if (!s.has(TcpSegment.SYN)) {
      return;
    }
    irs = s.seq();
    rcvNxt = irs + 1;
    peerOptions(s);
    if (ack) {
      sndWnd = s.window();
      sndWl1 = s.seq();
      sndWl2 = s.ack();
      ackAdvance(s.ack());
      ackPending = true;
      ackNow = true;
      established();
    } else {
      // Simultaneous open (RFC 9293 3.5 figure 7).
      state = TcpState.SYN_RECEIVED;
      sndWnd = s.window();
      sndWl1 = s.seq();
      sndWl2 = iss;
      sendSyn(false);
    }
  }

  private void synchronizedOrSynReceived(TcpSegment s, byte[] frame) {
    if (state == TcpState.SYN_RECEIVED && s.has(TcpSegment.SYN) && !s.has(TcpSegment.RST)
        && s.seq() == irs) {
      if (!s.has(TcpSegment.ACK)) {
        sendSyn(true); // the peer did not hear our SYN-ACK
        return;
      }
      // Simultaneous open: the peer's SYN-ACK; its SYN is known, take the rest.
      s = new TcpSegment(s.sourcePort(), s.destinationPort(), s.seq() + 1, s.ack(),
          s.flags() & ~TcpSegment.SYN, s.window(), s.mss(), s.windowScale(), s.payloadOffset(),
          s.payloadLength());
    }
    if (!acceptable(s)) {
      if (!s.has(TcpSegment.RST)) {
        if (state == TcpState.TIME_WAIT && s.has(TcpSegment.FIN)) {
          restartTimeWait();
        }
        ackPending = true;
        ackNow = true;
      }
      return;
    }
    if (s.has(TcpSegment.RST)) {
      reset(s);
      return;
    }
    if (s.has(TcpSegment.SYN)) {
      // RFC 9293 3.10.7.4 (RFC 5961 4.2): a SYN in window gets a challenge ACK.
      ackPending = true;
      ackNow = true;
      return;
    }
    if (!s.has(TcpSegment.ACK)) {
      return;
    }
    if (state == TcpState.SYN_RECEIVED) {
      if (TcpSeq.leq(s.ack(), sndUna) || TcpSeq.gt(s.ack(), sndMax)) {
        sendReset(s.ack());
        return;
      }
      sndWnd = (long) s.window() << sndShift;
      sndWl1 = s.seq();
      sndWl2 = s.ack();
      ackAdvance(s.ack());
      established();
      if (state == TcpState.CLOSED) {
        return;
      }
    } else if (!ack(s)) {
      return;
    }
    afterAck();
    if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT && !s.has(TcpSegment.FIN)) {
      return;
    }
    if (state.receiving()) {
      receive(s, frame);
    }
  }

  /** RFC 9293 3.10.7.4's four cases, with the zero-window allowance for ACKs and RSTs. */
  private boolean acceptable(TcpSegment s) {
    int len = s.sequenceLength();
    int wnd = receiveSpace();
    if (wnd == 0 || len == 0) {
      return wnd == 0 ? s.seq() == rcvNxt : TcpSeq.inWindow(s.seq(), rcvNxt, wnd);
    }
    return TcpSeq.inWindow(s.seq(), rcvNxt, wnd)
        || TcpSeq.inWindow(s.seq() + len - 1, rcvNxt, wnd);
  }

  /** An in-window RST: only one exactly at RCV.NXT resets (RFC 5961 3.2), others are challenged. */
  private void reset(TcpSegment s) {
    if (s.seq() != rcvNxt) {
      ackPending = true;
      ackNow = true;
      return;
    }
    switch (state) {
      case SYN_RECEIVED:
        if (listener != null) {
          vanish(); // back to LISTEN: the listener never saw this connection
        } else {
          fail(TcpError.Kind.REFUSED, "connection to " + peer() + " refused");
        }
        break;
      case TIME_WAIT:
        vanish();
        break;
      default:
        fail(TcpError.Kind.RESET, "connection reset by " + peer());
    }
  }

  /** ACK processing in a synchronized state; false when the segment is to be dropped. */
  private boolean ack(TcpSegment s) {
    int ack = s.ack();
    if (TcpSeq.gt(ack, sndMax)) {
      ackPending = true;
      ackNow = true;
      return false;
    }
    long segWnd = (long) s.window() << sndShift;
    long oldWnd = sndWnd;
    if (TcpSeq.lt(sndWl1, s.seq()) || (sndWl1 == s.seq() && TcpSeq.leq(sndWl2, ack))) {
      sndWnd = segWnd;
      sndWl1 = s.seq();
      sndWl2 = ack;
      if (sndWnd > 0 && persistTimer != null) {
        persistTimer.cancel();
        persistTimer = null;
      }
    }
    if (TcpSeq.gt(ack, sndUna)) {
      newAck(ack);
    } else if (ack == sndUna && s.payloadLength() == 0 && !s.has(TcpSegment.FIN)
        && segWnd == oldWnd && sndMax != sndUna) {
      duplicateAck();
    }
    return true;
  }

  private void newAck(int ack) {
    int acked = ack - sndUna;
    ackAdvance(ack);
    if (inRecovery) {
      if (TcpSeq.geq(ack, recover)) {
        // RFC 6582 3.2 step 3, full acknowledgement.
        cwnd = Math.min(ssthresh, Math.max(sndMax - sndUna, mss) + (long) mss);
        inRecovery = false;
        dupAcks = 0;
      } else {
        // Partial acknowledgement: the next hole is lost too.
        retransmitFirst();
        cwnd = Math.max(mss, cwnd - acked + (acked >= mss ? mss : 0));
        if (!partialAckSeen) {
          partialAckSeen = true;
          startRexmit();
        }
        return;
      }
    } else {
      dupAcks = 0;
      if (cwnd < ssthresh) {
        cwnd += Math.min(acked, mss);
      } else {
        caAcked += acked;
        if (caAcked >= cwnd) {
          caAcked -= cwnd;
          cwnd += mss;
        }
      }
    }
    if (sndUna == sndMax) {
      cancelRexmit();
    } else {
      startRexmit();
    }
  }

  /** SND.UNA moves to {@code ack}: release acknowledged data, take an RTT sample (Karn). */
  private void ackAdvance(int ack) {
    if (timing && TcpSeq.gt(ack, timedSeq)) {
      rtt.sample(now() - timedAt);
      timing = false;
    } else {
      rtt.forwardAck();
    }
    int dataAcked = Math.max(0, Math.min(sendBuffer.size(), ack - dataBase));
    sendBuffer.remove(dataAcked);
    dataBase += dataAcked;
    bytesAcked += dataAcked;
    sndUna = ack;
    if (TcpSeq.lt(sndNxt, sndUna)) {
      sndNxt = sndUna;
    }
    progressAt = now();
    if (wantWritable && sendBuffer.free() >= WRITABLE_THRESHOLD) {
      writableDue = true;
    }
    if (sndUna == sndMax) {
      cancelRexmit();
    }
  }

  private void duplicateAck() {
    duplicateAcks++;
    dupAcks++;
    if (inRecovery) {
      cwnd += mss; // RFC 5681 3.2 step 4: inflate for the segment that left
    } else if (dupAcks == 3 && TcpSeq.gt(sndUna, recover)) {
      fastRetransmits++;
      long flight = sndMax - sndUna;
      ssthresh = Math.max(flight / 2, 2L * mss);
      recover = sndMax;
      inRecovery = true;
      partialAckSeen = false;
      timing = false;
      retransmitFirst();
      cwnd = ssthresh + 3L * mss;
    }
  }

  /** RFC 9293 3.10.7.4 step five's state changes once our FIN is acknowledged. */
  private void afterAck() {
    boolean finAcked = finQueued && TcpSeq.gt(sndUna, finSeq);
    if (!finAcked) {
      return;
    }
    switch (state) {
      case FIN_WAIT_1:
        state = TcpState.FIN_WAIT_2;
        if (userClosed) {
          waitTimer = tcp.timers.after(FIN_WAIT_2_TIMEOUT, () -> {
            waitTimer = null;
            if (state == TcpState.FIN_WAIT_2) {
              fail(TcpError.Kind.TIMED_OUT, peer() + " did not close its side within "
                  + Tcp.describe(FIN_WAIT_2_TIMEOUT));
            }
          });
        }
        break;
      case CLOSING:
        timeWait();
        break;
      case LAST_ACK:
        orderlyDone = true;
        vanish();
        break;
      default:
        break;
    }
  }

  /** Data and FIN of an acceptable segment (RFC 9293 3.10.7.4 steps seven and eight). */
  private void receive(TcpSegment s, byte[] frame) {
    int len = s.payloadLength();
    boolean fin = s.has(TcpSegment.FIN);
    int skip = Math.max(0, Math.min(len, rcvNxt - s.seq()));
    int start = s.seq() + skip;
    int ahead = start - rcvNxt;
    if (ahead < 0) {
      // Only an old FIN can start before rcvNxt after trimming: it is a duplicate.
      ahead = 0;
      fin = false;
    }
    int dataLen = len - skip;
    int room = Math.max(0, receiveSpace() - ahead);
    if (dataLen > room) {
      dataLen = room;
      fin = false;
    }
    if (len > 0 && dataLen < len - skip || len > 0 && skip > 0) {
      ackNow = true; // a duplicate or data beyond the window: tell the peer where we are
      ackPending = true;
    }
    int at = s.payloadOffset() + skip;
    if (ahead == 0) {
      if (dataLen > 0) {
        accept(Arrays.copyOfRange(frame, at, at + dataLen));
        boolean hadHoles = !outOfOrder.isEmpty();
        long before = rcvStream;
        rcvStream = outOfOrder.take(rcvStream, this::acceptReassembled);
        rcvNxt += (int) (rcvStream - before);
        ackPending = true;
        if (hadHoles || ++segmentsUnacked >= 2) {
          ackNow = true;
        }
      }
      if (fin) {
        finAt = rcvStream;
      }
    } else if (dataLen > 0 || fin) {
      if (dataLen > 0) {
        outOfOrder.add(rcvStream + ahead, frame, at, dataLen);
        outOfOrderSegments++;
      }
      if (fin) {
        finAt = rcvStream + ahead + dataLen;
      }
      ackPending = true;
      ackNow = true; // RFC 5681 4.2: out-of-order data is acknowledged at once
    }
    if (finAt >= 0 && finAt == rcvStream && !finReceived) {
      finReceived = true;
      rcvNxt++;
      ackPending = true;
      ackNow = true;
      peerFin();
    }
  }

  private void accept(byte[] chunk) {
    rcvNxt += chunk.length;
    rcvStream += chunk.length;
    if (!userClosed) {
      inbox.addLast(chunk);
      inboxBytes += chunk.length;
    }
  }

  private void acceptReassembled(byte[] chunk) {
    if (!userClosed) {
      inbox.addLast(chunk);
      inboxBytes += chunk.length;
    }
  }

  private void peerFin() {
    switch (state) {
      case ESTABLISHED:
        state = TcpState.CLOSE_WAIT;
        break;
      case FIN_WAIT_1:
        if (finQueued && TcpSeq.gt(sndUna, finSeq)) {
          timeWait();
        } else {
          state = TcpState.CLOSING;
        }
        break;
      case FIN_WAIT_2:
        timeWait();
        break;
      default:
        break;
    }
  }

  /** Deliver, send what may go, acknowledge: the end of every segment's processing. */
  private void afterSegment() {
    deliver();
    if (state.sending()) {
      output();
    }
    flushAck();
    if (writableDue) {
      writableDue = false;
      wantWritable = false;
      if (!closedReported && !finQueued && state != TcpState.CLOSED) {
        handler.writable(this);
      }
    }
  }

  private void deliver() {
    if (delivering || handler == null) {
      return;
    }
    delivering = true;
    try {
      while (!paused && !inbox.isEmpty() && !closedReported) {
        byte[] chunk = inbox.pollFirst();
        inboxBytes -= chunk.length;
        bytesReceived += chunk.length;
        tcp.meter.tcpDelivered(chunk.length);
        handler.received(this, chunk);
      }
      if (inbox.isEmpty() && finReceived && !peerClosedReported && !closedReported
          && !userClosed) {
        peerClosedReported = true;
        handler.peerClosed(this);
      }
      if (orderlyDone && inbox.isEmpty() && !closedReported) {
        report(Optional.empty());
      }
    } finally {
      delivering = false;
    }
  }

  // ---- sending ----

  /** Sends new data (and FIN) while the windows and the link allow. */
  private void output() {
    while (true) {
      int dataEnd = dataBase + sendBuffer.size();
      int avail = dataEnd - sndNxt;
      boolean finNext = finQueued && sndNxt == finSeq;
      if (avail <= 0 && !finNext) {
        return;
      }
      long inFlight = sndNxt - sndUna;
      long usable = Math.min(cwnd, sndWnd) - inFlight;
      int len = (int) Math.max(0, Math.min(Math.min(mss, Math.max(avail, 0)), usable));
      boolean fin = finQueued && sndNxt + len == finSeq;
      if (len == 0 && !fin) {
        if (sndWnd == 0 && sndUna == sndMax) {
          startPersist();
        }
        return;
      }
      if (len > 0 && len < mss && len < avail && inFlight > 0) {
        return; // sender silly-window avoidance (RFC 9293 3.8.6.2.1): wait for a full segment
      }
      if (!tcp.linkReady(remoteIp)) {
        waitForLink();
        return;
      }
      sendData(sndNxt, len, fin);
      sndNxt += len + (fin ? 1 : 0);
      if (TcpSeq.gt(sndNxt, sndMax)) {
        sndMax = sndNxt;
      }
    }
  }

  private void waitForLink() {
    if (awaitingLink) {
      return;
    }
    awaitingLink = true;
    tcp.host.whenCanSend(new Ipv4Address(remoteIp), () -> {
      awaitingLink = false;
      if (state.sending()) {
        output();
        flushAck();
      }
    });
  }

  /** The segment at SND.UNA again, whatever the windows say (timeout, fast retransmit). */
  private void retransmitFirst() {
    if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
      sendSyn(true);
      return;
    }
    int dataEnd = dataBase + sendBuffer.size();
    int len = Math.max(0, Math.min(mss, dataEnd - sndUna));
    boolean fin = finQueued && sndUna + len == finSeq;
    if (len == 0 && !fin) {
      return;
    }
    sendData(sndUna, len, fin);
    int end = sndUna + len + (fin ? 1 : 0);
    if (TcpSeq.gt(end, sndNxt)) {
      sndNxt = end;
    }
  }

  private void sendData(int seq, int len, boolean fin) {
    boolean again = TcpSeq.lt(seq, sndMax);
    if (again) {
      countRetransmission();
      if (timing && TcpSeq.leq(seq, timedSeq)) {
        timing = false; // Karn: the timed segment is ambiguous now
      }
    } else {
      bytesSent += len;
      if (sndUna == sndMax) {
        progressAt = now();
      }
      if (!timing) {
        timing = true;
        timedSeq = seq + len + (fin ? 1 : 0) - 1;
        timedAt = now();
      }
    }
    int flags = TcpSegment.ACK | (fin ? TcpSegment.FIN : 0)
        | (len > 0 && seq + len == dataBase + sendBuffer.size() ? TcpSegment.PSH : 0);
    transmit(seq, rcvNxt, flags, advertise(), TcpSegment.ABSENT, TcpSegment.ABSENT,
        seq - dataBase, len);
    if (!rexmitRunning()) {
      startRexmit();
    }
  }

  private void countRetransmission() {
    retransmissions++;
    tcp.counters.increment(StackCounter.TCP_RETRANSMISSIONS);
    tcp.meter.tcpRetransmitted();
  }

  private void sendAck() {
    transmit(sndNxt, rcvNxt, TcpSegment.ACK, advertise(), TcpSegment.ABSENT, TcpSegment.ABSENT,
        0, 0);
  }

  private void sendReset(int seq) {
    tcp.send(this, seq, 0, TcpSegment.RST, 0, TcpSegment.ABSENT, TcpSegment.ABSENT, null, 0, 0);
    segmentsSent++;
  }

  /** A segment that elicits an ACK: one below SND.UNA, no data (keep-alive, window probe). */
  private void sendProbe() {
    transmit(sndUna - 1, rcvNxt, TcpSegment.ACK, advertise(), TcpSegment.ABSENT,
        TcpSegment.ABSENT, 0, 0);
  }

  private void transmit(int seq, int ack, int flags, int window, int ourMss, int scale, int from,
      int payload) {
    tcp.send(this, seq, ack, flags, window, ourMss, scale, sendBuffer, from, payload);
    segmentsSent++;
    if ((flags & TcpSegment.ACK) != 0) {
      ackPending = false;
      ackNow = false;
      segmentsUnacked = 0;
      if (delackTimer != null) {
        delackTimer.cancel();
        delackTimer = null;
      }
    }
  }

  private void flushAck() {
    if (!ackPending || state == TcpState.CLOSED) {
      ackNow = false;
      return;
    }
    if (ackNow) {
      sendAck();
    } else if (delackTimer == null) {
      delackTimer = tcp.timers.after(DELAYED_ACK, () -> {
        delackTimer = null;
        if (ackPending && state != TcpState.CLOSED) {
          sendAck();
        }
      });
    }
  }

  /** Free receive buffer: what the window may offer. */
  private int receiveSpace() {
    return Math.max(0, RECEIVE_BUFFER - inboxBytes);
  }

  /** The window field to send; remembers the right edge it offers. */
  private int advertise() {
    int space = receiveSpace();
    int field = Math.min(space >> rcvShift, 0xFFFF);
    int right = rcvNxt + (field << rcvShift);
    if (TcpSeq.gt(right, rcvAdvRight)) {
      rcvAdvRight = right;
    }
    return field;
  }

  // ---- timers ----

  /**
   * (Re)starts the retransmission timer: RTO from now, cut short by the user timeout. Lazy, since
   * every ACK restarts it: one pending timer event that, when early, sleeps until the deadline.
   */
  private void startRexmit() {
    long left = progressAt + userTimeout - now();
    long delay = Math.max(0, Math.min(rtt.rto(), left));
    rexmitDeadline = now() + delay;
    rexmitOn = true;
    if (rexmitTimer == null || rexmitTimerAt - rexmitDeadline > 0) {
      if (rexmitTimer != null) {
        rexmitTimer.cancel();
      }
      scheduleRexmit(delay);
    }
  }

  private void scheduleRexmit(long delay) {
    rexmitTimerAt = now() + delay;
    rexmitTimer = tcp.timers.after(delay, this::rexmitTimerFired);
  }

  private void cancelRexmit() {
    rexmitOn = false;
    if (rexmitTimer != null) {
      rexmitTimer.cancel();
      rexmitTimer = null;
    }
  }

  private boolean rexmitRunning() {
    return rexmitOn;
  }

  private void rexmitTimerFired() {
    rexmitTimer = null;
    if (!rexmitRunning()) {
      return;
    }
    long early = rexmitDeadline - now();
    if (early > 0) {
      scheduleRexmit(early);
      return;
    }
    rexmitOn = false;
    rexmitExpired();
  }

  /** RFC 6298 5.4-5.7, RFC 5681 3.1 (loss window), or the user timeout. */
  private void rexmitExpired() {
    if (state == TcpState.CLOSED || sndUna == sndMax) {
      return;
    }
    long waited = now() - progressAt;
    if (waited >= userTimeout) {
      if (state == TcpState.SYN_SENT) {
        fail(TcpError.Kind.TIMED_OUT, "connect to " + peer() + " timed out: no answer to SYN in "
            + Tcp.describe(waited) + " (" + retransmissions + " retransmissions)");
      } else if (state == TcpState.SYN_RECEIVED && listener != null) {
        vanish();
      } else {
        fail(TcpError.Kind.TIMED_OUT, "connection to " + peer() + " timed out: no "
            + "acknowledgement for " + Tcp.describe(waited) + " (" + retransmissions
            + " retransmissions)");
      }
      return;
    }
    timeouts++;
    rtt.backoff();
    timing = false;
    if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
      sendSyn(true);
      startRexmit();
      return;
    }
    long flight = sndMax - sndUna;
    ssthresh = Math.max(flight / 2, 2L * mss);
    cwnd = mss;
    caAcked = 0;
    recover = sndMax;
    inRecovery = false;
    dupAcks = 0;
    sndNxt = sndUna; // go back: resend from the first unacknowledged byte in slow start
    retransmitFirst();
    startRexmit();
  }

  private void startPersist() {
    if (persistTimer != null) {
      return;
    }
    if (persistDelay == 0) {
      persistDelay = rtt.rto();
    }
    persistTimer = tcp.timers.after(persistDelay, () -> {
      persistTimer = null;
      if (!state.sending() || sndWnd != 0 || sndUna != sndMax) {
        persistDelay = 0;
        return;
      }
      long silent = now() - lastHeard;
      if (silent >= userTimeout) {
        // Answered probes go on for ever (RFC 9293 3.8.6.1); unanswered ones end at the user timeout.
        fail(TcpError.Kind.TIMED_OUT, "connection to " + peer() + " timed out: no answer to "
            + "zero-window probes for " + Tcp.describe(silent));
        return;
      }
      sendProbe();
      persistDelay = Math.min(MAX_PERSIST, persistDelay * 2);
      startPersist();
    });
  }

  private void armKeepalive() {
    if (keepIdle == 0 || state == TcpState.CLOSED) {
      return;
    }
    if (keepTimer != null) {
      keepTimer.cancel();
    }
    keepTimer = tcp.timers.after(keepIdle, this::keepaliveExpired);
  }

  private void keepaliveExpired() {
    keepTimer = null;
    if (keepIdle == 0 || closedReported || !state.synchronized_()
        || state == TcpState.TIME_WAIT) {
      return;
    }
    long interval = Math.min(keepIdle, KEEPALIVE_INTERVAL);
    long idleFor = now() - lastHeard;
    if (keepProbes == 0 && idleFor < keepIdle) {
      keepTimer = tcp.timers.after(keepIdle - idleFor, this::keepaliveExpired);
      return;
    }
    if (keepProbes >= KEEPALIVE_PROBES) {
      fail(TcpError.Kind.KEEPALIVE_TIMEOUT, "no answer from " + peer() + " to "
          + KEEPALIVE_PROBES + " keep-alive probes (idle " + Tcp.describe(keepIdle)
          + ", then every " + Tcp.describe(interval) + ")");
      return;
    }
    if (sndUna == sndMax) {
      sendProbe();
      keepProbes++;
    }
    keepTimer = tcp.timers.after(interval, this::keepaliveExpired);
  }

  private void timeWait() {
    state = TcpState.TIME_WAIT;
    orderlyDone = true;
    cancelTimers();
    restartTimeWait();
  }

  private void restartTimeWait() {
    if (waitTimer != null) {
      waitTimer.cancel();
    }
    waitTimer = tcp.timers.after(TIME_WAIT, () -> {
      waitTimer = null;
      if (state == TcpState.TIME_WAIT) {
        vanish();
      }
    });
  }

  private void cancelTimers() {
    cancelRexmit();
    for (GuestEnv.Cancellable t : new GuestEnv.Cancellable[] {persistTimer, keepTimer,
        waitTimer}) {
      if (t != null) {
        t.cancel();
      }
    }
    persistTimer = null;
    keepTimer = null;
    waitTimer = null;
  }

  // ---- ending ----

  /** Gone from the table, no timers; callbacks are the caller's business. */
  private void vanish() {
    state = TcpState.CLOSED;
    cancelTimers();
    if (delackTimer != null) {
      delackTimer.cancel();
      delackTimer = null;
    }
    ackPending = false;
    tcp.remove(this);
  }

  private void fail(TcpError.Kind kind, String message) {
    vanish();
    inbox.clear();
    inboxBytes = 0;
    report(Optional.of(new TcpError(kind, message)));
  }

  private void report(Optional<TcpError> error) {
    if (closedReported) {
      return;
    }
    closedReported = true;
    if (handler != null) {
      handler.closed(this, error);
    }
  }

  private void reportLater(TcpError error) {
    if (closedReported) {
      return;
    }
    closedReported = true;
    tcp.timers.after(0, () -> {
      if (handler != null) {
        handler.closed(this, Optional.ofNullable(error));
      }
    });
  }

  private String peer() {
    return new Ipv4Address(remoteIp) + ":" + remotePort;
  }

  private long now() {
    return tcp.timers.now();
  }

  // ---- TcpSocket ----

  @Override
  public Ipv4Address localAddress() {
    return new Ipv4Address(localIp);
  }

  @Override
  public int localPort() {
    return localPort;
  }

  @Override
  public Ipv4Address remoteAddress() {
    return new Ipv4Address(remoteIp);
  }

  @Override
  public int remotePort() {
    return remotePort;
  }

  @Override
  public String state() {
    return state.rfcName();
  }

  TcpState tcpState() {
    return state;
  }

  @Override
  public int send(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    if (finQueued || closedReported || state == TcpState.CLOSED || !(state.sending()
        || state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED)) {
      return 0;
    }
    int n = sendBuffer.write(data, offset, length);
    if (n < length) {
      wantWritable = true;
    }
    if (state.sending()) {
      output();
    }
    return n;
  }

  @Override
  public int sendSpace() {
    return finQueued || closedReported ? 0 : sendBuffer.free();
  }

  @Override
  public int unacknowledged() {
    return sendBuffer.size();
  }

  @Override
  public void shutdownOutput() {
    if (finQueued || closedReported) {
      return;
    }
    switch (state) {
      case SYN_SENT:
      case SYN_RECEIVED:
        queueFin();
        break;
      case ESTABLISHED:
        queueFin();
        state = TcpState.FIN_WAIT_1;
        output();
        break;
      case CLOSE_WAIT:
        queueFin();
        state = TcpState.LAST_ACK;
        output();
        break;
      default:
        break;
    }
  }

  private void queueFin() {
    finQueued = true;
    finSeq = dataBase + sendBuffer.size();
  }

  @Override
  public void close() {
    if (userClosed) {
      return;
    }
    userClosed = true;
    inbox.clear();
    inboxBytes = 0;
    if (state == TcpState.SYN_SENT) {
      vanish();
      reportLater(null);
      return;
    }
    shutdownOutput();
  }

  @Override
  public void abort() {
    if (closedReported) {
      return;
    }
    if (state != TcpState.CLOSED && state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) {
      sendReset(sndNxt);
    }
    vanish();
    inbox.clear();
    inboxBytes = 0;
    reportLater(new TcpError(TcpError.Kind.ABORTED, "connection to " + peer()
        + " aborted by this side"));
  }

  @Override
  public void pauseReceiving() {
    paused = true;
  }

  @Override
  public void resumeReceiving() {
    if (!paused) {
      return;
    }
    paused = false;
    tcp.timers.after(0, () -> {
      if (paused) {
        return;
      }
      int offered = rcvAdvRight - rcvNxt;
      deliver();
      // Tell a sender we stopped that the window opened (RFC 9293 3.8.6.2.2's update).
      if (state.receiving() && !closedReported
          && receiveSpace() - offered >= Math.min(RECEIVE_BUFFER / 2, 2 * OUR_MSS)) {
        sendAck();
      }
    });
  }

  @Override
  public void userTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("TCP user timeout must be positive, not " + timeout);
    }
    userTimeout = timeout.toNanos();
    if (rexmitRunning()) {
      startRexmit();
    }
  }

  @Override
  public void keepAlive(Duration idle) {
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("TCP keep-alive idle time must be positive, not "
          + idle);
    }
    keepIdle = idle.toNanos();
    keepProbes = 0;
    if (state.synchronized_()) {
      armKeepalive();
    }
  }

  @Override
  public TcpStats stats() {
    return new TcpStats(state.rfcName(), segmentsSent, segmentsReceived, bytesSent, bytesAcked,
        bytesReceived, retransmissions, timeouts, fastRetransmits, duplicateAcks, rtt.srtt(),
        rtt.rttvar(), rtt.rto(), cwnd, ssthresh, mss, outOfOrderSegments);
  }

  @Override
  public String toString() {
    return "tcp " + new Ipv4Address(localIp) + ":" + localPort + " -> " + peer() + " "
        + state.rfcName();
  }
}
