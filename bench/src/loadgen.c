/*
 * loadgen: pushes frames through a two-port L2 device under test (DUT) and counts what comes out.
 *
 * Both ports are TCP listen ports of the DUT speaking QEMU's socket framing (a 4-byte big-endian
 * length, then the Ethernet frame). loadgen connects to "out" and "in", then one thread writes
 * frames to "in" (many frames per write()) while another reads "out", parses the framing and
 * checks sequence numbers. A hub floods every frame from "in" to "out"; loadgen sends nothing
 * on "out".
 *
 * Phases, all on the same two connections:
 *   1. probe:   one probe frame every 10 ms until one comes out of "out". This proves the DUT
 *               has accepted both connections and forwards (QEMU drops frames for a port whose
 *               peer it has not accepted yet), so no measured frame is lost to start-up.
 *   2. warm-up: W frames (--warmup), not counted; loadgen waits until the last one arrives (or
 *               the idle timeout passes). Gives a JIT-compiled DUT the same footing as a C one.
 *   3. measure: N frames (--frames) of S bytes (--size), sequence numbers 0..N-1. The clock runs
 *               from the first write to the arrival of the last measured frame.
 * Probe and warm-up frames carry their own kind byte and are never counted as measured.
 *
 * Frame: dst ff:ff:ff:ff:ff:ff, src 02:00:00:00:00:01, ethertype 0x88B5 (local experimental),
 * then "FSLG", a kind byte (0 probe, 1 warm-up, 2 measured) and a 64-bit big-endian sequence.
 *
 * The run ends when all N measured frames have arrived or nothing arrived for --idle-ms. Output,
 * one line on stdout:
 *   loadgen size=S sent=N received=R lost=L duplicates=D reordered=O foreign=F seconds=T fps=X gbps=G
 * sent counts measured frames in completed writes; received counts distinct measured frames;
 * lost = sent - received; reordered counts arrivals with a sequence number below one already
 * seen; foreign counts frames that are not loadgen's or have the wrong size. Exit 0 when the run happened (loss or not),
 * 1 when it could not (connect, probe or framing failure), 2 on bad usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define QEMU_MAX_FRAME 69632
#define HDR 4
#define MIN_SIZE 27 /* 14 Ethernet + 4 magic + 1 kind + 8 sequence */
#define OFF_MAGIC 14
#define OFF_KIND 18
#define OFF_SEQ 19

enum kind { PROBE = 0, WARMUP = 1, MEASURED = 2 };

struct opts {
    const char *in, *out;
    long long frames, warmup;
    int size, idle_ms, connect_ms, probe_ms;
    size_t batch_bytes;
};

static struct opts o = {
    .frames = 1000000, .warmup = 0, .size = 64, .idle_ms = 2000,
    .connect_ms = 10000, .probe_ms = 5000, .batch_bytes = 256 * 1024,
};

static int in_fd = -1, out_fd = -1;
static atomic_int probe_seen, stop_all, measuring;
static atomic_llong warm_seen, sent_frames;
static atomic_llong last_rx_ns; /* arrival of the latest measured frame */
static long long t_first_send_ns;

/* Receiver results (owned by the receiver thread until joined). */
static long long received, duplicates, reordered, foreign;
static int framing_error;
static uint8_t *seen; /* bitmap of measured sequence numbers */

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void die_usage(const char *msg) {
    fprintf(stderr, "loadgen: %s\n", msg);
    fprintf(stderr,
            "usage: loadgen --in HOST:PORT --out HOST:PORT [--frames N] [--size BYTES]\n"
            "               [--warmup N] [--idle-ms MS] [--connect-ms MS] [--probe-ms MS]\n"
            "               [--batch-bytes BYTES]\n");
    exit(2);
}

static long long parse_num(const char *name, const char *v, long long min, long long max) {
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || *end || end == v || x < min || x > max) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: '%s' is not a number in %lld..%lld", name, v, min, max);
        die_usage(msg);
    }
    return x;
}

/* Connects to HOST:PORT, retrying while nobody listens yet (the DUT may still be starting). */
static int connect_to(const char *what, const char *hostport) {
    char host[256];
    const char *colon = strrchr(hostport, ':');
    if (!colon || colon == hostport || (size_t)(colon - hostport) >= sizeof host || !colon[1]) {
        fprintf(stderr, "loadgen: --%s '%s': expected HOST:PORT\n", what, hostport);
        exit(2);
    }
    memcpy(host, hostport, colon - hostport);
    host[colon - hostport] = 0;
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc) {
        fprintf(stderr, "loadgen: --%s '%s': %s\n", what, hostport, gai_strerror(rc));
        exit(2);
    }
    long long deadline = now_ns() + (long long)o.connect_ms * 1000000LL;
    for (;;) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) { perror("loadgen: socket"); exit(1); }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            freeaddrinfo(ai);
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return fd;
        }
        int err = errno;
        close(fd);
        if ((err != ECONNREFUSED && err != ETIMEDOUT) || now_ns() > deadline) {
            fprintf(stderr, "loadgen: can't connect to %s port %s: %s\n", what, hostport,
                    strerror(err));
            exit(1);
        }
        sleep_ms(20);
    }
}

static void put_be64(uint8_t *p, uint64_t v) {
    for (int i = 7; i >= 0; i--) { p[i] = (uint8_t)v; v >>= 8; }
}

static uint64_t get_be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

/* One framed frame (length prefix included) at p. */
static void build_frame(uint8_t *p, int size) {
    uint32_t len = htonl((uint32_t)size);
    memcpy(p, &len, 4);
    uint8_t *f = p + HDR;
    memset(f, 0, size);
    memset(f, 0xff, 6);
    static const uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x01};
    memcpy(f + 6, src, 6);
    f[12] = 0x88;
    f[13] = 0xb5;
    memcpy(f + OFF_MAGIC, "FSLG", 4);
    for (int i = OFF_SEQ + 8; i < size; i++) f[i] = (uint8_t)i;
}

/* Writes all of buf; 0 on success, -1 when the connection failed or the run was stopped. */
static int write_all(const uint8_t *buf, size_t n) {
    while (n > 0) {
        ssize_t w = write(in_fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (!atomic_load(&stop_all))
                fprintf(stderr, "loadgen: write to in port: %s\n", strerror(errno));
            return -1;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Sends count frames of one kind, batch_bytes at a time. Returns frames fully sent. */
static long long send_frames(enum kind kind, long long count, uint8_t *batch, int per_batch,
                             atomic_llong *progress) {
    const size_t stride = (size_t)o.size + HDR;
    long long done = 0;
    while (done < count && !atomic_load(&stop_all)) {
        int n = (int)((count - done) < per_batch ? (count - done) : per_batch);
        for (int i = 0; i < n; i++) {
            uint8_t *f = batch + (size_t)i * stride + HDR;
            f[OFF_KIND] = (uint8_t)kind;
            put_be64(f + OFF_SEQ, (uint64_t)(done + i));
        }
        if (write_all(batch, (size_t)n * stride) < 0) break;
        done += n;
        if (progress) atomic_store(progress, done);
    }
    return done;
}

static void *sender(void *arg) {
    (void)arg;
    const size_t stride = (size_t)o.size + HDR;
    int per_batch = (int)(o.batch_bytes / stride);
    if (per_batch < 1) per_batch = 1;
    uint8_t *batch = malloc((size_t)per_batch * stride);
    if (!batch) { perror("loadgen: malloc"); exit(1); }
    for (int i = 0; i < per_batch; i++) build_frame(batch + (size_t)i * stride, o.size);

    /* 1. probe until the DUT forwards. */
    long long deadline = now_ns() + (long long)o.probe_ms * 1000000LL;
    long long probes = 0;
    while (!atomic_load(&probe_seen)) {
        if (atomic_load(&stop_all)) goto out;
        if (now_ns() > deadline) {
            fprintf(stderr, "loadgen: the DUT forwarded none of %lld probe frames within %d ms\n",
                    probes, o.probe_ms);
            atomic_store(&stop_all, 1);
            goto out;
        }
        batch[HDR + OFF_KIND] = PROBE;
        put_be64(batch + HDR + OFF_SEQ, (uint64_t)probes++);
        if (write_all(batch, stride) < 0) { atomic_store(&stop_all, 1); goto out; }
        sleep_ms(10);
    }

    /* 2. warm-up, then wait for its last frame (or for the idle timeout). */
    if (o.warmup > 0) {
        send_frames(WARMUP, o.warmup, batch, per_batch, NULL);
        long long last = -1, since = now_ns();
        while (!atomic_load(&stop_all)) {
            long long w = atomic_load(&warm_seen);
            if (w >= o.warmup) break;
            if (w != last) { last = w; since = now_ns(); }
            if (now_ns() - since > (long long)o.idle_ms * 1000000LL) {
                fprintf(stderr, "loadgen: warm-up: %lld of %lld frames arrived; going on\n", w,
                        o.warmup);
                break;
            }
            sleep_ms(1);
        }
    }

    /* 3. measure. */
    t_first_send_ns = now_ns();
    atomic_store(&measuring, 1);
    send_frames(MEASURED, o.frames, batch, per_batch, &sent_frames);
out:
    free(batch);
    return NULL;
}

static void on_frame(const uint8_t *f, uint32_t len) {
    if (len < MIN_SIZE || memcmp(f + OFF_MAGIC, "FSLG", 4) != 0 || f[12] != 0x88 ||
        f[13] != 0xb5) {
        foreign++;
        return;
    }
    uint64_t seq = get_be64(f + OFF_SEQ);
    switch (f[OFF_KIND]) {
    case PROBE:
        atomic_store(&probe_seen, 1);
        return;
    case WARMUP:
        atomic_fetch_add(&warm_seen, 1);
        return;
    case MEASURED:
        break;
    default:
        foreign++;
        return;
    }
    if (seq >= (uint64_t)o.frames || len != (uint32_t)o.size) { foreign++; return; }
    static long long max_seen = -1;
    if ((long long)seq < max_seen) reordered++;
    else max_seen = (long long)seq;
    if (seen[seq >> 3] & (1u << (seq & 7))) { duplicates++; return; }
    seen[seq >> 3] |= (uint8_t)(1u << (seq & 7));
    received++;
    atomic_store(&last_rx_ns, now_ns());
}

static void *receiver(void *arg) {
    (void)arg;
    size_t cap = 1u << 20;
    uint8_t *buf = malloc(cap);
    if (!buf) { perror("loadgen: malloc"); exit(1); }
    size_t have = 0;
    long long last_byte_ns = now_ns();
    struct pollfd pfd = {.fd = out_fd, .events = POLLIN};
    while (!atomic_load(&stop_all) && received < o.frames) {
        int pr = poll(&pfd, 1, 50);
        if (pr < 0 && errno != EINTR) { perror("loadgen: poll"); break; }
        if (pr <= 0) {
            /* Idle only counts once measuring: the sender owns the probe and warm-up deadlines. */
            if (atomic_load(&measuring) &&
                now_ns() - last_byte_ns > (long long)o.idle_ms * 1000000LL)
                break;
            continue;
        }
        ssize_t r = read(out_fd, buf + have, cap - have);
        if (r < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "loadgen: read from out port: %s\n", strerror(errno));
            break;
        }
        if (r == 0) {
            fprintf(stderr, "loadgen: the DUT closed the out connection\n");
            break;
        }
        last_byte_ns = now_ns();
        have += (size_t)r;
        size_t at = 0;
        while (have - at >= HDR) {
            uint32_t len;
            memcpy(&len, buf + at, 4);
            len = ntohl(len);
            if (len > QEMU_MAX_FRAME) {
                fprintf(stderr, "loadgen: out port: frame length %u above %d: framing lost\n",
                        len, QEMU_MAX_FRAME);
                framing_error = 1;
                goto done;
            }
            if (have - at < HDR + (size_t)len) break;
            on_frame(buf + at + HDR, len);
            at += HDR + len;
        }
        memmove(buf, buf + at, have - at);
        have -= at;
    }
done:
    free(buf);
    return NULL;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) die_usage("help");
        if (i + 1 >= argc) die_usage("missing value after an option");
        const char *v = argv[++i];
        if (!strcmp(a, "--in")) o.in = v;
        else if (!strcmp(a, "--out")) o.out = v;
        else if (!strcmp(a, "--frames")) o.frames = parse_num(a, v, 1, 1LL << 34);
        else if (!strcmp(a, "--warmup")) o.warmup = parse_num(a, v, 0, 1LL << 34);
        else if (!strcmp(a, "--size")) o.size = (int)parse_num(a, v, MIN_SIZE, QEMU_MAX_FRAME);
        else if (!strcmp(a, "--idle-ms")) o.idle_ms = (int)parse_num(a, v, 1, 3600000);
        else if (!strcmp(a, "--connect-ms")) o.connect_ms = (int)parse_num(a, v, 0, 3600000);
        else if (!strcmp(a, "--probe-ms")) o.probe_ms = (int)parse_num(a, v, 1, 3600000);
        else if (!strcmp(a, "--batch-bytes"))
            o.batch_bytes = (size_t)parse_num(a, v, 1, 64LL << 20);
        else {
            char msg[300];
            snprintf(msg, sizeof msg, "unknown option '%s'", a);
            die_usage(msg);
        }
    }
    if (!o.in || !o.out) die_usage("--in and --out are required");
    signal(SIGPIPE, SIG_IGN);
    seen = calloc((size_t)(o.frames / 8 + 1), 1);
    if (!seen) { perror("loadgen: calloc"); return 1; }

    /* Out first: a hub drops frames for a port with no peer. The probe phase checks the rest. */
    out_fd = connect_to("out", o.out);
    in_fd = connect_to("in", o.in);

    pthread_t rx, tx;
    pthread_create(&rx, NULL, receiver, NULL);
    pthread_create(&tx, NULL, sender, NULL);
    pthread_join(rx, NULL);
    /* Unblock a sender stuck in write() on a DUT that stopped reading. */
    atomic_store(&stop_all, 1);
    shutdown(in_fd, SHUT_RDWR);
    pthread_join(tx, NULL);
    close(in_fd);
    close(out_fd);

    if (!atomic_load(&probe_seen) || framing_error) return 1;
    long long sent = atomic_load(&sent_frames);
    long long last = atomic_load(&last_rx_ns);
    double secs = received > 0 ? (double)(last - t_first_send_ns) / 1e9 : 0.0;
    double fps = secs > 0 ? (double)received / secs : 0.0;
    double gbps = fps * o.size * 8 / 1e9;
    printf("loadgen size=%d sent=%lld received=%lld lost=%lld duplicates=%lld reordered=%lld "
           "foreign=%lld seconds=%.6f fps=%.0f gbps=%.3f\n",
           o.size, sent, received, sent - received, duplicates, reordered, foreign, secs, fps,
           gbps);
    return 0;
}
