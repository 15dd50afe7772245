package io.fleetsim.addr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void parsesAddressAndPrefix() {
    Cidr c = Cidr.tryParse("10.0.0.5/24").orElseThrow();
    assertEquals(Ipv4Address.of(10, 0, 0, 5), c.address());
    assertEquals(24, c.prefixLength());
    assertEquals(Ipv4Address.of(10, 0, 0, 0), c.network());
    assertEquals("10.0.0.5/24", c.toString());
    assertTrue(c.contains(Ipv4Address.of(10, 0, 0, 254)));
    assertFalse(c.contains(Ipv4Address.of(10, 0, 1, 1)));
  }

  @Test
  void refusesWhatIsNotACidr() {
    for (String bad : new String[] {"10.0.0.5", "10.0.0.5/", "10.0.0.5/33", "10.0.0.5/+4",
        "10.0.0/24", "10.0.0.5/24/1", "x/24", "10.0.0.5/ 4", "10.0.0.256/8"}) {
      assertEquals(Optional.empty(), Cidr.tryParse(bad), bad);
    }
  }
}
