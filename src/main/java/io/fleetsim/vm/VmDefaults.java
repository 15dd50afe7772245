package io.fleetsim.vm;

import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.nic.e1000.E1000Nic;
import io.fleetsim.vm.hw.CostTable;
import java.time.Duration;

/** What every simulated VM gets unless told otherwise ({@code fleetsim.vm} in reference.conf). */
public record VmDefaults(long memoryBytes, double cpuMhz, Duration burst, CostTable costs,
    E1000Driver.Config driver, E1000Nic.Settings nic) {}
