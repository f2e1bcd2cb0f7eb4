/*
 * The Linux baseline of bench/map.bench.ts: the first write to a copy-on-write page through a
 * mapping. A file of SIZE MiB (a tmpfile(), in the page cache) is mapped MAP_PRIVATE, every page
 * is read first (so each is mapped read-only to its page-cache page), then one byte is written
 * to each page: each write is a copy-on-write fault (allocate a page, copy 4 KiB, change the
 * page-table entry). Prints the median time per fault in nanoseconds over ROUNDS mappings.
 *
 *   cc -O2 -o cow-fault cow-fault.c && ./cow-fault SIZE_MIB [ROUNDS]
 *
 * Plain C99 and POSIX (mmap, clock_gettime); any system compiler builds it.
 */
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

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SIZE_MIB [ROUNDS]\n", argv[0]);
    return 2;
  }
  size_t size = (size_t)strtoul(argv[1], NULL, 10) << 20;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  long page = sysconf(_SC_PAGESIZE);
  size_t pages = size / (size_t)page;
  if (size == 0 || rounds < 1) return 2;

  FILE *file = tmpfile();
  if (file == NULL) return perror("tmpfile"), 1;
  char *block = malloc((size_t)page);
  memset(block, 5, (size_t)page);
  for (size_t i = 0; i < pages; i++) fwrite(block, 1, (size_t)page, file);
  fflush(file);
  int fd = fileno(file);

  double *per_fault = malloc(sizeof(double) * (size_t)rounds);
  volatile char sink = 0;
  for (int r = 0; r < rounds; r++) {
    char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) return perror("mmap"), 1;
    for (size_t i = 0; i < pages; i++) sink += map[i * (size_t)page];
    double t0 = now_ns();
    for (size_t i = 0; i < pages; i++) map[i * (size_t)page] = 1;
    double t1 = now_ns();
    per_fault[r] = (t1 - t0) / (double)pages;
    munmap(map, size);
  }
  qsort(per_fault, (size_t)rounds, sizeof(double), compare);
  printf("%.1f\n", per_fault[rounds / 2]);
  (void)sink;
  free(per_fault);
  free(block);
  fclose(file);
  return 0;
}
