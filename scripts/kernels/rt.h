/* pinscope real-kernel runtime: measuring struct page counters from user space (root, nokaslr guest).
 *
 * Included by every program the translator (translate.ts) writes. It finds a page's PFN through
 * /proc/self/pagemap, its flags and map count through /proc/kpageflags and /proc/kpagecount, and reads
 * struct page fields through /proc/kcore at vmemmap_base + pfn * 64 (+52 for _refcount). In-flight counts are
 * read by a kprobe event on submit_bio that fetches those same addresses when the bio is submitted.
 *
 * Output (one line each, on stdout):
 *   @@M LINE FIELD VALUE       a measurement for the expect on scenario line LINE
 *   @@X LINE REASON...         the expect on LINE could not be measured on this run, and why
 *   @@I TEXT...                information (kernel release, zero page PFN)
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define HPAGE (2UL << 20)
#define VMEMMAP_DEFAULT 0xffffea0000000000UL /* 4-level paging without KASLR */
static uint64_t vmemmap_base = VMEMMAP_DEFAULT;
#define STRUCT_PAGE 64UL
#define OFF_REFCOUNT 52UL

#define KPF_DIRTY 4
#define KPF_ANON 12
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define KPF_THP 22
#define KPF_ZERO_PAGE 24

static void out(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
  buf[n++] = '\n';
  if (write(1, buf, n) < 0) _exit(99);
}

static void die(const char *what) {
  out("@@E %s: %s", what, strerror(errno));
  _exit(2);
}

/* ---- kernel version and per-kernel struct offsets ---- */
static int kmajor, kminor;
static long off_pincount; /* byte offset of a large folio's pin count from its head struct page */

static void rt_version(void) {
  struct utsname u;
  uname(&u);
  sscanf(u.release, "%d.%d", &kmajor, &kminor);
  if (kmajor == 5) off_pincount = 2 * 64 + 16; /* page[2].hpage_pinned_refcount */
  else if (kmajor == 6 && kminor < 5) off_pincount = 88; /* folio->_pincount (6.1) */
  else off_pincount = 92; /* folio->_pincount (6.12) */
  out("@@I kernel %s", u.release);
}

/* ---- /proc/kcore ---- */
static int kcore_fd = -1;
static Elf64_Phdr kphdr[128];
static int kphnum;

static void rt_kcore(void) {
  kcore_fd = open("/proc/kcore", O_RDONLY);
  if (kcore_fd < 0) die("open /proc/kcore");
  Elf64_Ehdr eh;
  if (pread(kcore_fd, &eh, sizeof eh, 0) != sizeof eh) die("read kcore header");
  kphnum = eh.e_phnum < 128 ? eh.e_phnum : 128;
  if (pread(kcore_fd, kphdr, kphnum * sizeof(Elf64_Phdr), eh.e_phoff) != (ssize_t)(kphnum * sizeof(Elf64_Phdr)))
    die("read kcore program headers");
}

static int kread(uint64_t va, void *buf, size_t len) {
  for (int i = 0; i < kphnum; i++) {
    Elf64_Phdr *p = &kphdr[i];
    if (p->p_type == PT_LOAD && va >= p->p_vaddr && va + len <= p->p_vaddr + p->p_memsz)
      return pread(kcore_fd, buf, len, p->p_offset + (va - p->p_vaddr)) == (ssize_t)len ? 0 : -1;
  }
  return -1;
}

static uint64_t page_addr(uint64_t pfn) { return vmemmap_base + pfn * STRUCT_PAGE; }

/* vmemmap_base is a kernel variable: find it in /proc/kallsyms and read its value through /proc/kcore, so the
 * programs also work with KASLR or 5-level paging. Falls back to the nokaslr default. */
static void rt_vmemmap(void) {
  /* the address of the symbol may be given (the test initramfs looks it up once for all programs) */
  const char *given = getenv("PINSCOPE_VMEMMAP_SYM");
  uint64_t addr = given ? strtoull(given, NULL, 16) : 0;
  FILE *f = addr ? NULL : fopen("/proc/kallsyms", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f)) {
    unsigned long long a;
    char type, name[200];
    if (sscanf(line, "%llx %c %199s", &a, &type, name) == 3 && !strcmp(name, "vmemmap_base")) { addr = a; break; }
  }
  if (f) fclose(f);
  uint64_t v = 0;
  if (addr && !kread(addr, &v, 8) && v) vmemmap_base = v;
  out("@@I vmemmap_base 0x%llx%s", (unsigned long long)vmemmap_base, v ? "" : " (default)");
}

/* ---- pagemap, kpageflags, kpagecount ---- */
static int pagemap_fd = -1, kflags_fd = -1, kcount_fd = -1;

static void rt_proc(void) {
  pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
  kflags_fd = open("/proc/kpageflags", O_RDONLY);
  kcount_fd = open("/proc/kpagecount", O_RDONLY);
  if (pagemap_fd < 0 || kflags_fd < 0 || kcount_fd < 0) die("open pagemap/kpageflags/kpagecount");
}

/* After fork the child must reopen its own pagemap. */
static void rt_reopen_pagemap(void) {
  close(pagemap_fd);
  pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
  if (pagemap_fd < 0) die("reopen pagemap");
}

/* PFN mapped at va in this process, or -1 when nothing is present there. */
static int64_t pfn_of(const void *va) {
  uint64_t e;
  if (pread(pagemap_fd, &e, 8, ((uint64_t)va / PAGE) * 8) != 8) return -1;
  if (!(e >> 63)) return -1;
  return (int64_t)(e & ((1ULL << 55) - 1));
}

static uint64_t kflags(uint64_t pfn) {
  uint64_t f = 0;
  if (pread(kflags_fd, &f, 8, pfn * 8) != 8) return 0;
  return f;
}

static int64_t kcount(uint64_t pfn) {
  uint64_t c = 0;
  if (pread(kcount_fd, &c, 8, pfn * 8) != 8) return -1;
  return (int64_t)c;
}

static uint64_t head_of(uint64_t pfn) {
  for (int i = 0; i < 512 && (kflags(pfn) >> KPF_COMPOUND_TAIL & 1); i++) pfn--;
  return pfn;
}
static int is_large(uint64_t head) { return kflags(head) >> KPF_COMPOUND_HEAD & 1; }

static int32_t refcount_of(uint64_t pfn) {
  int32_t v = 0;
  if (kread(page_addr(head_of(pfn)) + OFF_REFCOUNT, &v, 4)) { out("@@E kcore read failed for pfn %llu", (unsigned long long)pfn); return INT32_MIN; }
  return v;
}
static int32_t pincount_of(uint64_t pfn) {
  uint64_t h = head_of(pfn);
  if (!is_large(h)) return 0;
  int32_t v = 0;
  if (kread(page_addr(h) + off_pincount, &v, 4)) return INT32_MIN;
  return v;
}

/* ---- the zero page and the huge zero folio ---- */
static int64_t zero_pfn = -1, hugezero_pfn = -1;

static void rt_zero(void) {
  char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) die("mmap");
  (void)*(volatile char *)p;
  zero_pfn = pfn_of(p);
  if (zero_pfn < 0 || !(kflags(zero_pfn) >> KPF_ZERO_PAGE & 1)) out("@@I zero page not found by a read fault");
  munmap(p, PAGE);
  /* The huge zero folio: a read fault in a 2 MiB aligned THP range. Kept mapped for the program's life. */
  char *q = mmap(NULL, 2 * HPAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (q == MAP_FAILED) die("mmap");
  char *a = (char *)(((uintptr_t)q + HPAGE - 1) & ~(HPAGE - 1));
  madvise(a, HPAGE, MADV_HUGEPAGE);
  (void)*(volatile char *)a;
  int64_t h = pfn_of(a);
  if (h >= 0 && h != zero_pfn && (kflags(h) >> KPF_ZERO_PAGE & 1)) hugezero_pfn = (int64_t)head_of(h);
  out("@@I zero_pfn %lld hugezero_pfn %lld", (long long)zero_pfn, (long long)hugezero_pfn);
}

/* ---- the per-CPU LRU-add batch ----
 * A freshly faulted anon page is held once more by the CPU's LRU-add batch until the batch is drained. We
 * drain it before measuring by faulting 64 fresh pages (more than a batch holds on any of these kernels),
 * which pushes the earlier entries onto the LRU, then unmapping them. */
static void drain_lru(void) {
  char *p = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return;
  madvise(p, 64 * PAGE, MADV_NOHUGEPAGE);
  for (int i = 0; i < 64; i++) p[i * PAGE] = 1;
  munmap(p, 64 * PAGE);
}

/* ---- measuring one subject ----
 * subject: a user address (NAME+OFF) or ZERO / HUGEZERO. */
#define SUBJ_ZERO ((const void *)1)
#define SUBJ_HUGEZERO ((const void *)2)

/* `label NAME MAPPING+OFF`: the PFN mapped there when the label ran (-1: nothing was mapped) */
static int64_t label_pfn[16];
#define SUBJ_LABEL(i) ((const void *)(uintptr_t)(0x100 + (i)))
static int64_t subject_pfn(const void *s) {
  if (s == SUBJ_ZERO) return zero_pfn;
  if (s == SUBJ_HUGEZERO) return hugezero_pfn;
  if ((uintptr_t)s >= 0x100 && (uintptr_t)s < 0x110) return label_pfn[(uintptr_t)s - 0x100];
  return pfn_of(s);
}

static const char *kind_of_pfn(int64_t pfn) {
  if (pfn < 0) return "none";
  if (pfn == zero_pfn) return "zero";
  if (hugezero_pfn >= 0 && (int64_t)head_of(pfn) == hugezero_pfn) return "hugezero";
  if (kflags(pfn) >> KPF_ANON & 1) return "anon";
  return "file";
}

static void measure(int line, const void *subj, const char *field) {
  int64_t pfn = subject_pfn(subj);
  if (!strcmp(field, "kind")) { out("@@M %d kind %s", line, kind_of_pfn(pfn)); return; }
  if (pfn < 0) { out("@@X %d nothing mapped there on the real kernel", line); return; }
  if (!strcmp(field, "refcount")) out("@@M %d refcount %d", line, refcount_of(pfn));
  else if (!strcmp(field, "mapcount")) {
    /* kpagecount reports page_mapcount(); the zero pages are never counted as mapped. For a large folio it is a
     * per-page count that mixes PMD and PTE mappings, which does not give the folio's mapcount. */
    int64_t c = kcount(pfn);
    if (pfn == zero_pfn || (int64_t)head_of(pfn) == hugezero_pfn) c = 0;
    else if (is_large(head_of(pfn))) { out("@@X %d the mapcount of a large folio is not visible from /proc/kpagecount", line); return; }
    out("@@M %d mapcount %lld", line, (long long)c);
  } else if (!strcmp(field, "pincount")) out("@@M %d pincount %d", line, pincount_of(pfn));
  else if (!strcmp(field, "pinned")) {
    uint64_t h = head_of(pfn);
    int pinned = is_large(h) ? pincount_of(pfn) > 0 : (uint32_t)refcount_of(pfn) >= 1024;
    out("@@M %d pinned %s", line, pinned ? "true" : "false");
  } else out("@@X %d field %s is not measured", line, field);
}

/* ---- in-flight counts: a kprobe event on submit_bio fetching struct page fields ---- */
#define TRACING "/sys/kernel/tracing"
static int probe_on;
static int64_t probe_pfn[8];
static int probe_n;

static int write_file(const char *path, const char *s, int append) {
  int fd = open(path, O_WRONLY | (append ? O_APPEND : O_TRUNC));
  if (fd < 0) return -1;
  ssize_t r = write(fd, s, strlen(s));
  close(fd);
  return r == (ssize_t)strlen(s) ? 0 : -1;
}

/* Arm a probe that records, at every submit_bio, the refcount (and pincount) of each subject's folio. */
static int probe_arm(const void **subjs, int n) {
  char def[2048];
  int k = snprintf(def, sizeof def, "p:pinscope/sb submit_bio");
  probe_n = 0;
  for (int i = 0; i < n && i < 8; i++) {
    int64_t pfn = subject_pfn(subjs[i]);
    probe_pfn[i] = pfn;
    if (pfn < 0) pfn = 0;
    uint64_t h = head_of(pfn);
    k += snprintf(def + k, sizeof def - k, " r%d=@0x%llx:s32 p%d=@0x%llx:s32", i,
                  (unsigned long long)(page_addr(h) + OFF_REFCOUNT), i, (unsigned long long)(page_addr(h) + off_pincount));
    probe_n++;
  }
  strcat(def, "\n");
  write_file(TRACING "/events/pinscope/enable", "0", 0);
  write_file(TRACING "/kprobe_events", "-:pinscope/sb\n", 1);
  if (write_file(TRACING "/kprobe_events", def, 1)) { out("@@I kprobe definition refused: %s", strerror(errno)); return -1; }
  write_file(TRACING "/trace", "", 0);
  /* only this process's submissions (not writeback or another task's) */
  char filt[64];
  snprintf(filt, sizeof filt, "common_pid == %d\n", (int)getpid());
  write_file(TRACING "/events/pinscope/sb/filter", filt, 0);
  if (write_file(TRACING "/events/pinscope/sb/enable", "1", 0)) return -1;
  probe_on = 1;
  return 0;
}

/* Disarm; fill last[] with the values seen at the last submit_bio; return the number of submit_bio events. */
static int probe_collect(int32_t *lastr, int32_t *lastp) {
  if (!probe_on) return -1;
  write_file(TRACING "/events/pinscope/sb/enable", "0", 0);
  probe_on = 0;
  int fd = open(TRACING "/trace", O_RDONLY);
  static char buf[1 << 16];
  ssize_t len = fd < 0 ? 0 : read(fd, buf, sizeof buf - 1);
  if (fd >= 0) close(fd);
  if (len < 0) len = 0;
  buf[len] = 0;
  int events = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#' || !strstr(line, " sb:")) continue;
    events++;
    for (int i = 0; i < probe_n; i++) {
      char key[8];
      snprintf(key, sizeof key, " r%d=", i);
      char *p = strstr(line, key);
      if (p) lastr[i] = (int32_t)strtol(p + strlen(key), NULL, 10);
      snprintf(key, sizeof key, " p%d=", i);
      p = strstr(line, key);
      if (p) lastp[i] = (int32_t)strtol(p + strlen(key), NULL, 10);
    }
  }
  write_file(TRACING "/kprobe_events", "-:pinscope/sb\n", 1);
  return events;
}

/* ---- tasks: every task is a process; one runs at a time, in statement order ---- */
struct ctl {
  volatile int cur;       /* task that runs the next statement */
  volatile int pc;        /* next statement */
  volatile int finished;
  volatile int exitreq[16];
  volatile int pid[16];
};
static struct ctl *ctl;
static int me;

static void rt_tasks(void) {
  ctl = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (ctl == MAP_FAILED) die("mmap ctl");
  ctl->pid[0] = getpid();
}

/* Wait until process pid has left its mm (exited: a zombie or gone). */
static void wait_gone(int pid) {
  char path[64], st[256];
  for (int i = 0; i < 200000; i++) {
    if (waitpid(pid, NULL, WNOHANG) == pid) return;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return;
    ssize_t n = read(fd, st, sizeof st - 1);
    close(fd);
    if (n > 0) {
      st[n] = 0;
      char *p = strrchr(st, ')');
      if (p && (p[2] == 'Z' || p[2] == 'X')) return;
    }
    sched_yield();
  }
}

#include <sys/resource.h>
static void rt_init(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct rlimit rl = { 65536, 65536 }; /* one pipe per `get` */
  setrlimit(RLIMIT_NOFILE, &rl);
  rt_version();
  rt_kcore();
  rt_vmemmap();
  rt_proc();
  rt_tasks();
  write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise", 0);
  write_file("/sys/kernel/mm/transparent_hugepage/use_zero_page", "1", 0);
  rt_zero();
}

/* mmap a region of size bytes; thp aligns it to 2 MiB and allows huge pages. */
static char *rt_mmap(size_t size, int prot, int flags, int fd, int thp) {
  if (!thp) {
    char *p = mmap(NULL, size, prot, flags, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    if (fd < 0) madvise(p, size, MADV_NOHUGEPAGE);
    return p;
  }
  char *r = mmap(NULL, size + HPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (r == MAP_FAILED) die("mmap reserve");
  char *a = (char *)(((uintptr_t)r + HPAGE - 1) & ~(HPAGE - 1));
  char *p = mmap(a, size, prot, flags | MAP_FIXED, fd, 0);
  if (p == MAP_FAILED) die("mmap thp");
  if (a > r) munmap(r, a - r);
  munmap(a + size, (r + size + HPAGE) - (a + size));
  madvise(p, size, MADV_HUGEPAGE);
  return p;
}

static void rt_read(const char *p, size_t len) {
  for (size_t o = 0; o < len; o += PAGE) (void)*(volatile const char *)(p + o);
}
static void rt_write(char *p, size_t len) {
  for (size_t o = 0; o < len; o += PAGE) *(volatile char *)(p + o) = (char)(0x5a + o / PAGE);
}

/* ---- io_uring buffer registration (FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM) without liburing ---- */
struct uring_params_min { uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3]; uint64_t pad[10]; };
static int uring_register(void *buf, size_t len, long *result) {
  struct uring_params_min p;
  memset(&p, 0, sizeof p);
  int fd = (int)syscall(425 /* io_uring_setup */, 1, &p);
  if (fd < 0) { *result = -errno; return -1; }
  struct iovec iov = { buf, len };
  long r = syscall(427 /* io_uring_register */, fd, 0 /* IORING_REGISTER_BUFFERS */, &iov, 1);
  if (r < 0) { *result = -errno; close(fd); return -1; }
  *result = (long)(len / PAGE);
  return fd;
}
