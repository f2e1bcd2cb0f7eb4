// The page-request round trip on Linux with userfaultfd, for bench/pager.bench.ts: a thread
// touches a missing page of a registered region, the handler thread reads the fault from the
// userfaultfd, copies in a 4 KiB page with UFFDIO_COPY, and the faulting thread resumes.
// Prints one line: "ns_per_page <n>" (the median of several runs), or "skipped <reason>".
//
// Usage: uffd-roundtrip [pages-per-run] [runs]
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static long page_size;
static int uffd;
static char *source;

static void *handler(void *arg) {
  (void)arg;
  for (;;) {
    struct pollfd pfd = {.fd = uffd, .events = POLLIN};
    if (poll(&pfd, 1, -1) < 0) return NULL;
    struct uffd_msg msg;
    ssize_t n = read(uffd, &msg, sizeof(msg));
    if (n != sizeof(msg)) continue;
    if (msg.event != UFFD_EVENT_PAGEFAULT) continue;
    struct uffdio_copy copy = {
        .dst = msg.arg.pagefault.address & ~((unsigned long long)page_size - 1),
        .src = (unsigned long)source,
        .len = (unsigned long long)page_size,
        .mode = 0,
    };
    ioctl(uffd, UFFDIO_COPY, &copy);
  }
}

/** A userfaultfd, trying the ways a process without privileges may get one. */
static int open_uffd(char *why, size_t why_len) {
  int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
  if (fd >= 0) return fd;
  int first = errno;
  fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
  if (fd >= 0) return fd;
  int second = errno;
  int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
  if (dev >= 0) {
    fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
    close(dev);
    if (fd >= 0) return fd;
  }
  snprintf(why, why_len, "userfaultfd: %s; with UFFD_USER_MODE_ONLY: %s; /dev/userfaultfd: %s",
           strerror(first), strerror(second), strerror(errno));
  return -1;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  long pages = argc > 1 ? atol(argv[1]) : 256;
  int runs = argc > 2 ? atoi(argv[2]) : 21;
  page_size = sysconf(_SC_PAGESIZE);
  char why[512];
  uffd = open_uffd(why, sizeof why);
  if (uffd < 0) {
    printf("skipped %s\n", why);
    return 0;
  }
  struct uffdio_api api = {.api = UFFD_API, .features = 0};
  if (ioctl(uffd, UFFDIO_API, &api) < 0) {
    printf("skipped UFFDIO_API: %s\n", strerror(errno));
    return 0;
  }
  source = aligned_alloc((size_t)page_size, (size_t)page_size);
  memset(source, 0x5a, (size_t)page_size);
  pthread_t thread;
  pthread_create(&thread, NULL, handler, NULL);
  double *per_page = calloc((size_t)runs, sizeof(double));
  volatile unsigned sink = 0;
  for (int run = 0; run < runs; run++) {
    size_t length = (size_t)(pages * page_size);
    char *region = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register reg = {
        .range = {.start = (unsigned long)region, .len = length},
        .mode = UFFDIO_REGISTER_MODE_MISSING,
    };
    if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
      printf("skipped UFFDIO_REGISTER: %s\n", strerror(errno));
      return 0;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < pages; i++) sink += (unsigned char)region[i * page_size];
    clock_gettime(CLOCK_MONOTONIC, &b);
    per_page[run] = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) /
                    (double)pages;
    munmap(region, length);
  }
  qsort(per_page, (size_t)runs, sizeof(double), compare);
  printf("ns_per_page %.1f\n", per_page[runs / 2]);
  return sink == 1 ? 1 : 0;
}
