/*
 * relay: the ceiling for any two-port device on this machine. Listens on 127.0.0.1 at two TCP
 * ports, accepts one client on each (in either order), then copies every byte from the first
 * ("in") to the second ("out") without looking at frames: splice(2) through a pipe, or large
 * read/write buffers where splice is unavailable. Bytes the "out" client sends are read and
 * discarded. One session: when "in" reaches end of file (or either side fails) it exits.
 *
 * usage: relay IN_PORT OUT_PORT
 * Prints "relay listening in=IN_PORT out=OUT_PORT" on stdout once both ports listen.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static int listen_on(const char *arg) {
    char *end;
    long port = strtol(arg, &end, 10);
    if (*end || end == arg || port < 1 || port > 65535) {
        fprintf(stderr, "relay: '%s' is not a port number\n", arg);
        exit(2);
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1) < 0) {
        fprintf(stderr, "relay: can't listen on 127.0.0.1:%ld: %s\n", port, strerror(errno));
        exit(1);
    }
    return fd;
}

/* Copies in -> out with splice; returns 0 at EOF, -1 when splice is unsupported before any byte. */
static int splice_loop(int in, int out, int drain) {
    int p[2];
    if (pipe(p) < 0) return -1;
    fcntl(p[1], F_SETPIPE_SZ, CHUNK);
    long long total = 0;
    static char junk[65536];
    struct pollfd pf[2] = {{.fd = in, .events = POLLIN}, {.fd = drain, .events = POLLIN}};
    for (;;) {
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR) continue;
            perror("relay: poll");
            return 0;
        }
        if (pf[1].revents) {
            /* The out client should send nothing; discard whatever it does send. */
            ssize_t d = read(drain, junk, sizeof junk);
            if (d <= 0) { pf[1].fd = -1; }
        }
        if (!pf[0].revents) continue;
        ssize_t n = splice(in, NULL, p[1], NULL, CHUNK, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            if (total == 0 && (errno == EINVAL || errno == ENOSYS)) return -1;
            fprintf(stderr, "relay: splice from in: %s\n", strerror(errno));
            return 0;
        }
        if (n == 0) return 0;
        total += n;
        while (n > 0) {
            ssize_t m = splice(p[0], NULL, out, NULL, (size_t)n, SPLICE_F_MOVE | SPLICE_F_MORE);
            if (m < 0) {
                if (errno == EINTR) continue;
                fprintf(stderr, "relay: splice to out: %s\n", strerror(errno));
                return 0;
            }
            n -= m;
        }
    }
}

static void copy_loop(int in, int out) {
    char *buf = malloc(CHUNK);
    for (;;) {
        ssize_t n = read(in, buf, CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (ssize_t off = 0; off < n;) {
            ssize_t m = write(out, buf + off, (size_t)(n - off));
            if (m < 0) {
                if (errno == EINTR) continue;
                free(buf);
                return;
            }
            off += m;
        }
    }
    free(buf);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: relay IN_PORT OUT_PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int lin = listen_on(argv[1]), lout = listen_on(argv[2]);
    printf("relay listening in=%s out=%s\n", argv[1], argv[2]);
    fflush(stdout);
    int in = -1, out = -1;
    struct pollfd pf[2] = {{.fd = lin, .events = POLLIN}, {.fd = lout, .events = POLLIN}};
    while (in < 0 || out < 0) {
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR) continue;
            perror("relay: poll");
            return 1;
        }
        if (in < 0 && pf[0].revents) { in = accept(lin, NULL, NULL); pf[0].fd = -1; }
        if (out < 0 && pf[1].revents) { out = accept(lout, NULL, NULL); pf[1].fd = -1; }
    }
    close(lin);
    close(lout);
    if (splice_loop(in, out, out) < 0) copy_loop(in, out);
    shutdown(out, SHUT_WR);
    close(in);
    close(out);
    return 0;
}
