package io.fleetsim.guest.workload;

/**
 * Decodes a chunked body (RFC 9112 7.1) as its bytes arrive: {@code chunk-size [; ext] CRLF data
 * CRLF}, ..., {@code 0 CRLF}, trailer fields, CRLF. It hands on the data and reports when the body
 * ended or what was wrong; any bytes give one or the other, never an exception.
 */
final class ChunkedDecoder {
  /** Receives the body's data bytes. */
  interface Sink {
    void data(byte[] b, int offset, int length);
  }

  private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LF, DONE }

  /** Longer chunk-size lines or trailer lines are refused (a line with no end). */
  private static final int MAX_LINE = 4096;

  private State state = State.SIZE;
  private long remaining;
  private int sizeDigits;
  private int lineLength;
  private String problem;

  /**
   * Feeds {@code b[offset..offset+length)}; returns how many bytes belonged to the body (the rest
   * is what follows it), all of them while it is still open or once it went wrong.
   */
  int feed(byte[] b, int offset, int length, Sink sink) {
    int i = offset;
    int end = offset + length;
    while (i < end && problem == null && state != State.DONE) {
      if (state == State.DATA) {
        int n = (int) Math.min(remaining, end - i);
        sink.data(b, i, n);
        i += n;
        remaining -= n;
        if (remaining == 0) {
          state = State.DATA_CR;
        }
        continue;
      }
      step((char) (b[i] & 0xff));
      i++;
    }
    return problem != null ? length : i - offset;
  }

  private void step(char c) {
    switch (state) {
      case SIZE:
        int digit = Character.digit(c, 16);
        if (digit >= 0 && c < 0x80) {
          if (++sizeDigits > 15) {
            problem = "chunk size too large";
            return;
          }
          remaining = remaining * 16 + digit;
        } else if (sizeDigits == 0) {
          problem = "malformed chunk size";
        } else if (c == ';' || c == ' ' || c == '\t') {
          state = State.EXTENSION;
          lineLength = 0;
        } else if (c == '\r') {
          state = State.SIZE_LF;
        } else if (c == '\n') {
          sizeLineEnded();
        } else {
          problem = "malformed chunk size";
        }
        return;
      case EXTENSION:
        if (c == '\n') {
          sizeLineEnded();
        } else if (c == '\r') {
          state = State.SIZE_LF;
        } else if (++lineLength > MAX_LINE) {
          problem = "chunk extension too long";
        }
        return;
      case SIZE_LF:
        if (c == '\n') {
          sizeLineEnded();
        } else {
          problem = "CR without LF after the chunk size";
        }
        return;
      case DATA_CR:
        if (c == '\r') {
          state = State.DATA_LF;
        } else if (c == '\n') {
          nextChunk();
        } else {
          problem = "chunk data longer than its size";
        }
        return;
      case DATA_LF:
        if (c == '\n') {
          nextChunk();
        } else {
          problem = "CR without LF after chunk data";
        }
        return;
      case TRAILER:
        if (c == '\n') {
          if (lineLength == 0) {
            state = State.DONE;
          }
          lineLength = 0;
        } else if (c == '\r') {
          state = State.TRAILER_LF;
        } else if (++lineLength > MAX_LINE) {
          problem = "trailer line too long";
        }
        return;
      case TRAILER_LF:
        if (c != '\n') {
          problem = "CR without LF in the trailer";
        } else if (lineLength == 0) {
          state = State.DONE;
        } else {
          lineLength = 0;
          state = State.TRAILER;
        }
        return;
      default:
        return;
    }
  }

  private void sizeLineEnded() {
    lineLength = 0;
    state = remaining == 0 ? State.TRAILER : State.DATA;
  }

  private void nextChunk() {
    state = State.SIZE;
    sizeDigits = 0;
    remaining = 0;
  }

  boolean done() {
    return state == State.DONE;
  }

  /** What was wrong, or null. */
  String problem() {
    return problem;
  }
}
