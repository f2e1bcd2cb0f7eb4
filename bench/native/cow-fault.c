/*
 * The Linux baselines of bench/cow-fault.bench.ts.
 *
 * Default: the first write to a copy-on-write page through a mapping. A file of SIZE MiB (a
 * tmpfile(), in the page cache) is mapped MAP_PRIVATE, every page is read first (so each is
 * mapped read-only to its page-cache page), then one byte is written to each page: each write is
 * a copy-on-write fault (allocate a page, copy 4 KiB, change the page-table entry).
 *
 * With `first-touch`: the host's own price for memory never touched. SIZE MiB of anonymous
 * memory is mapped and one byte written to each page, each write the first touch of that page
 * (a fault that finds the page a frame and zeroes it). A fork into a frame the kernel never used
 * is, underneath, this touch, which no JavaScript program can avoid.
 *
 * Prints the median time per page in nanoseconds over ROUNDS mappings.
 *
 *   cc -O2 -o cow-fault cow-fault.c && ./cow-fault SIZE_MIB [ROUNDS] [first-touch]
 *
 * Plain C99 and POSIX (mmap, clock_gettime, plus MAP_ANONYMOUS); any system compiler builds it.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* A file of `pages` pages of 5s, in the page cache; its descriptor. */
static int page_cache_file(size_t pages, size_t page) {
  FILE *file = tmpfile();
  if (file == NULL) return perror("tmpfile"), -1;
  char *block = malloc(page);
  memset(block, 5, page);
  for (size_t i = 0; i < pages; i++) fwrite(block, 1, page, file);
  fflush(file);
  free(block);
  return fileno(file); /* left open until the program exits */
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SIZE_MIB [ROUNDS] [first-touch]\n", argv[0]);
    return 2;
  }
  size_t size = (size_t)strtoul(argv[1], NULL, 10) << 20;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  int first_touch = argc > 3 && strcmp(argv[3], "first-touch") == 0;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t pages = size / page;
  if (size == 0 || rounds < 1) return 2;

  int fd = first_touch ? -1 : page_cache_file(pages, page);
  if (!first_touch && fd < 0) return 1;
  int flags = first_touch ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_PRIVATE;
  double *per_page = malloc(sizeof(double) * (size_t)rounds);
  volatile char sink = 0;
  for (int r = 0; r < rounds; r++) {
    char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (map == MAP_FAILED) return perror("mmap"), 1;
    if (!first_touch) {
      for (size_t i = 0; i < pages; i++) sink += map[i * page];
    }
    double t0 = now_ns();
    for (size_t i = 0; i < pages; i++) ((volatile char *)map)[i * page] = 1;
    double t1 = now_ns();
    per_page[r] = (t1 - t0) / (double)pages;
    munmap(map, size);
  }
  qsort(per_page, (size_t)rounds, sizeof(double), compare);
  printf("%.1f\n", per_page[rounds / 2]);
  (void)sink;
  free(per_page);
  return 0;
}
