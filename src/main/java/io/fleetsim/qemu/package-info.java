/**
 * QEMU command-line option strings ({@code -netdev}, {@code -device}, {@code -object filter-dump}):
 * QemuOpts syntax, validation in QEMU's words, and the typed records the rest of fleetsim consumes.
 * Nothing here opens a socket, resolves a name or touches a file.
 *
 * <p>Entry points: {@link io.fleetsim.qemu.QemuCommandLine} (parse one option or a whole set,
 * cross-checked), {@link io.fleetsim.qemu.OptionRenderer} (specs back to option strings),
 * {@link io.fleetsim.qemu.QemuOpts} (the bare key=value syntax). Every refusal is an
 * {@link io.fleetsim.qemu.OptionException} reading {@code -OPTION VALUE: message}.
 *
 * <p>Where fleetsim knowingly differs from QEMU 7.2 (checked against a real 7.2):
 * <ul>
 *   <li>Ports must be decimal 0..65535; QEMU 7.2's socket netdev silently wraps 99999.
 *   <li>Host names are kept for the runtime to resolve; QEMU resolves while parsing. So a
 *       {@code mcast=} group and {@code localaddr=} must be IPv4 literals, and a dgram remote is
 *       multicast only when it is a 224.0.0.0/4 literal.
 *   <li>Bare keys ({@code foo} = {@code foo=on}) are accepted where QEMU 7.2 accepts them with a
 *       deprecation warning (socket, hubport, -device, -object) and refused for stream/dgram,
 *       as QEMU's keyval parser refuses them. No warning is printed.
 *   <li>JSON values are not type-checked as strictly as QEMU does (a string "on" is accepted
 *       for a boolean, a number for a string).
 *   <li>{@code reconnect=} (seconds, QEMU 8.0+) and {@code reconnect-ms=} (QEMU 9.2+) are
 *       accepted on stream clients, though 7.2 has neither.
 *   <li>A refused {@code connect=} is an error at start; QEMU 7.2 prints
 *       nothing and runs on without the socket (a guest-less one warns only "hub 0 with no nics").
 *   <li>{@code listen=:PORT} binds 0.0.0.0 as QEMU does (IPv4 only, never the IPv6 wildcard).
 *   <li>File descriptors are numbers only (no monitor fd names).
 *   <li>{@code -device e1000} requires {@code netdev=}; other models and properties are refused.
 *   <li>filter-dump: {@code queue=rx|tx}, {@code status=off}, {@code position=id=..} refused;
 *       {@code queue=all}, {@code status=on}, {@code position=head|tail},
 *       {@code insert=behind|before} accepted (no effect with dumps only).
 * </ul>
 */
package io.fleetsim.qemu;
