/**
 * QEMU command-line option strings ({@code -netdev}, {@code -device}, {@code -object filter-dump}):
 * QemuOpts syntax, validation in QEMU's words, and the typed records the rest of fleetsim consumes.
 * Nothing here opens a socket.
 */
package io.fleetsim.qemu;
