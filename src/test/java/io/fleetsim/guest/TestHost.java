package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import java.util.Optional;

/** One simulated guest for tests: virtual env, fake NIC and the stack on it. */
public final class TestHost {
  public static final long MICROS_100 = 100_000L;

  public final VirtualGuestEnv env;
  public final FakeLink link;
  public final NetStack stack;

  public TestHost(VirtualClock clock, int macLast) {
    this(clock, macLast, 1);
  }

  /** {@code seed} seeds the guest's random numbers (the VM's seed). */
  public TestHost(VirtualClock clock, int macLast, long seed) {
    this.env = new VirtualGuestEnv(clock, seed);
    this.link = new FakeLink(clock, FakeLink.mac(macLast));
    this.stack = new NetStack(env, link);
  }

  public TestHost configured(String address, int prefix) {
    stack.configure(Ipv4Address.parse(address), prefix, Optional.empty());
    return this;
  }

  public TestHost configured(String address, int prefix, String gateway) {
    stack.configure(Ipv4Address.parse(address), prefix, Optional.of(Ipv4Address.parse(gateway)));
    return this;
  }

  /** Two hosts, 10.0.0.1/24 and 10.0.0.2/24, on a cable with 100 us latency. */
  public static TestHost[] pair(VirtualClock clock) {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    TestHost b = new TestHost(clock, 2).configured("10.0.0.2", 24);
    Wire.connect(clock, a.link, b.link, MICROS_100);
    return new TestHost[] {a, b};
  }

  public StackCounters counters() {
    return stack.counters();
  }

  public long count(StackCounter c) {
    return stack.counters().get(c);
  }
}
