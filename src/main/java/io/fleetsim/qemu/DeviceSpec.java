package io.fleetsim.qemu;

import io.fleetsim.addr.MacAddress;
import java.util.Optional;

/** A validated {@code -device e1000,netdev=ID[,mac=..][,id=..]}. */
public record DeviceSpec(String model, Optional<String> id, String netdev, Optional<MacAddress> mac,
    String source) {}
