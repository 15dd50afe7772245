package io.fleetsim.qemu;

/** A validated {@code -object filter-dump,id=F,netdev=N,file=PATH[,maxlen=BYTES]}. */
public record FilterDumpSpec(String id, String netdev, String file, int maxlen, String source) {
  public static final int DEFAULT_MAXLEN = 65536;
}
