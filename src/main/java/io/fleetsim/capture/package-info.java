/** Packet capture: QEMU's filter-dump, classic pcap files that tcpdump, tshark and Wireshark read. */
package io.fleetsim.capture;
