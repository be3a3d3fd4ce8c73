/*
 * The C half of reader-vs-c.sh: read every field of every entry of the journal files in a
 * directory straight over libsystemd, the loop that Systemd.Journal's span path wraps:
 * sd_journal_next, then sd_journal_restart_data + sd_journal_enumerate_data over all data,
 * summing the lengths of the NAME=value objects. Prints one line of key=value pairs.
 *
 *   gcc -O2 -o reader-loop reader-loop.c $(pkg-config --cflags --libs libsystemd)
 *   ./reader-loop DIR [warmup-entries]
 *
 * Like the .NET reader: the data threshold is 0 (values never truncated), and the first
 * warmup-entries entries (default 50000) are read once, untimed, before the timed pass from the head.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <systemd/sd-journal.h>

static long long read_all(sd_journal *j, long long limit, unsigned long long *bytes) {
    long long entries = 0;
    unsigned long long sum = 0;
    int r = 0;
    while (entries < limit && (r = sd_journal_next(j)) > 0) {
        const void *data;
        size_t length;
        entries++;
        sd_journal_restart_data(j);
        while ((r = sd_journal_enumerate_data(j, &data, &length)) > 0)
            sum += length;
        if (r < 0) {
            fprintf(stderr, "sd_journal_enumerate_data: %s\n", strerror(-r));
            exit(1);
        }
    }
    if (r < 0) {
        fprintf(stderr, "sd_journal_next: %s\n", strerror(-r));
        exit(1);
    }
    *bytes = sum;
    return entries;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s DIR [warmup-entries]\n", argv[0]);
        return 2;
    }
    long long warmup = argc == 3 ? atoll(argv[2]) : 50000;

    sd_journal *j;
    int r = sd_journal_open_directory(&j, argv[1], 0);
    if (r < 0) {
        fprintf(stderr, "sd_journal_open_directory %s: %s\n", argv[1], strerror(-r));
        return 1;
    }
    r = sd_journal_set_data_threshold(j, 0);
    if (r < 0) {
        fprintf(stderr, "sd_journal_set_data_threshold: %s\n", strerror(-r));
        return 1;
    }

    unsigned long long bytes;
    if (warmup > 0) {
        read_all(j, warmup, &bytes);
        r = sd_journal_seek_head(j);
        if (r < 0) {
            fprintf(stderr, "sd_journal_seek_head: %s\n", strerror(-r));
            return 1;
        }
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long long entries = read_all(j, INT64_MAX, &bytes);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

    sd_journal_close(j);
    if (entries == 0) {
        fprintf(stderr, "no entries in %s\n", argv[1]);
        return 1;
    }
    printf("c entries=%lld bytes=%llu seconds=%.3f entries_per_sec=%.0f\n",
           entries, bytes, seconds, (double)entries / seconds);
    return 0;
}
