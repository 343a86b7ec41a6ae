/* pinscope real-kernel runtime, part 2: what the translated statements call (files, tasks, direct I/O,
 * io_uring registration, process_vm_readv pins held open by userfaultfd, pipes). Included after rt.h. */
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>

static long dio_result[64];
#define MAXH 32
static int h_fd[MAXH];
static long h_result[MAXH];
static size_t h_len[MAXH];
static long h_bytes[MAXH]; /* a vmsplice's return value in bytes (or -errno) */

/* ---- files ---- */
static void file_make(const char *path, int blockdev, size_t size, int holes, long base) {
  int fd = blockdev ? open(path, O_RDWR) : open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die(path);
  if (holes) { if (ftruncate(fd, size)) die("ftruncate"); }
  else {
    char *buf = calloc(1, size);
    for (size_t o = 0; o < size; o += 512) buf[o] = 'd';
    if (pwrite(fd, buf, size, base) != (ssize_t)size) die("write file");
    free(buf);
    fsync(fd);
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  close(fd);
}
/* fs=blockdev: partition PNO of /dev/ram0, LEN bytes from START, so the device ends where the scenario says.
 * The first one of a program removes what an earlier program left. */
#include <linux/blkpg.h>
static void blk_part(int pno, long start, long len) {
  int fd = open("/dev/ram0", O_RDWR);
  if (fd < 0) die("/dev/ram0");
  struct blkpg_partition part = { .start = start, .length = len, .pno = pno };
  struct blkpg_ioctl_arg arg = { .op = BLKPG_DEL_PARTITION, .datalen = sizeof part, .data = &part };
  if (pno == 1) for (int i = 1; i <= 15; i++) { struct blkpg_partition d = { .pno = i }; arg.data = &d; ioctl(fd, BLKPG, &arg); }
  arg.op = BLKPG_ADD_PARTITION;
  arg.data = &part;
  if (ioctl(fd, BLKPG, &arg)) die("BLKPG_ADD_PARTITION");
  close(fd);
}
static int file_open(const char *path, int flags) {
  int fd = open(path, flags);
  if (fd < 0) die(path);
  return fd;
}
static int memfd_make(size_t size) {
  int fd = (int)syscall(SYS_memfd_create, "pinscope", 0);
  if (fd < 0 || ftruncate(fd, size)) die("memfd");
  return fd;
}

/* ---- direct I/O, with the submit_bio probe armed for the in-flight window ---- */
static int inflight_events = -1, inflight_armed;
static int32_t inflight_r[8], inflight_p[8];
static int64_t inflight_pfn[8];
static const void *inflight_subj[8];
static int inflight_n;

static void inflight_arm(const void **s, int n) {
  drain_lru(); /* no LRU-batch reference in the counts read at submit_bio */
  inflight_n = n;
  for (int i = 0; i < n; i++) { inflight_subj[i] = s[i]; inflight_pfn[i] = subject_pfn(s[i]); }
  inflight_armed = probe_arm(s, n) == 0;
}

static void dio_do(int n, const char *path, int write, char *buf, size_t len, long off) {
  int fd = open(path, O_RDWR | O_DIRECT);
  if (fd < 0) { dio_result[n] = -errno; out("@@I dio#%d: open %s: %s", n, path, strerror(errno)); }
  else {
    ssize_t r = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
    dio_result[n] = r < 0 ? -errno : r;
    close(fd);
  }
  inflight_events = -1;
  if (inflight_armed) {
    memset(inflight_r, 0, sizeof inflight_r);
    memset(inflight_p, 0, sizeof inflight_p);
    inflight_events = probe_collect(inflight_r, inflight_p);
    inflight_armed = 0;
  }
}

/* An expectation about a count while the bios are in flight: the value the probe read at the last submit_bio. */
static void inflight_measure(int line, int i, const void *subj, const char *field, int legacy) {
  if (inflight_events < 0) { out("@@X %d the submit_bio probe could not be armed", line); return; }
  if (inflight_events == 0) { out("@@X %d no bio was submitted", line); return; }
  if (inflight_events > 1 && !legacy) {
    out("@@X %d %d bios: brd completed and released the earlier ones before the last was submitted", line, inflight_events);
    return;
  }
  int64_t now = subject_pfn(subj);
  if (now != inflight_pfn[i] || now < 0) {
    out("@@X %d the page there was replaced during the I/O (not known when the probe was armed)", line);
    return;
  }
  int large = is_large(head_of(now));
  if (!strcmp(field, "refcount")) out("@@M %d refcount %d", line, inflight_r[i]);
  else if (!strcmp(field, "pincount")) out("@@M %d pincount %d", line, large ? inflight_p[i] : 0);
  else out("@@M %d pinned %s", line, (large ? inflight_p[i] > 0 : (uint32_t)inflight_r[i] >= 1024) ? "true" : "false");
}

/* ---- io_uring fixed buffers ---- */
static void uring_unregister(int id) {
  if (h_fd[id] >= 0) {
    syscall(427, h_fd[id], 1 /* IORING_UNREGISTER_BUFFERS */, NULL, 0);
    close(h_fd[id]);
    h_fd[id] = -1;
  }
}

/* ---- short-term FOLL_PIN held open: process_vm_readv (or _writev for `write`) on our own pid, with the local
 * side in a userfaultfd range: the kernel pins the remote pages, then blocks copying into the missing local
 * page until we resolve the fault at unpin time. */
struct pvm { int uffd; char *local; size_t len; char *remote; int write; pthread_t th; long ret; int active; };
static struct pvm pvms[MAXH];
static void *pvm_thread(void *arg) {
  struct pvm *p = arg;
  struct iovec l = { p->local, p->len }, r = { p->remote, p->len };
  p->ret = p->write ? syscall(SYS_process_vm_writev, getpid(), &l, 1, &r, 1, 0) : syscall(SYS_process_vm_readv, getpid(), &l, 1, &r, 1, 0);
  if (p->ret < 0) p->ret = -errno;
  return NULL;
}
static void pvm_pin(int id, char *remote, size_t len, int write) {
  struct pvm *p = &pvms[id];
  memset(p, 0, sizeof *p);
  p->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
  if (p->uffd < 0) die("userfaultfd");
  struct uffdio_api api = { .api = UFFD_API };
  if (ioctl(p->uffd, UFFDIO_API, &api)) die("UFFDIO_API");
  p->local = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  madvise(p->local, len, MADV_NOHUGEPAGE);
  struct uffdio_register reg = { .range = { (uintptr_t)p->local, len }, .mode = UFFDIO_REGISTER_MODE_MISSING };
  if (ioctl(p->uffd, UFFDIO_REGISTER, &reg)) die("UFFDIO_REGISTER");
  p->len = len; p->remote = remote; p->write = write; p->active = 1;
  h_len[id] = len;
  pthread_create(&p->th, NULL, pvm_thread, p);
  /* wait until the copy faults on the local side: the remote pages are pinned by then */
  struct pollfd pf = { p->uffd, POLLIN, 0 };
  if (poll(&pf, 1, 10000) <= 0) { out("@@I pvm pin: no fault seen (ret %ld)", p->ret); return; }
  struct uffd_msg msg;
  if (read(p->uffd, &msg, sizeof msg) != sizeof msg) die("read uffd");
}
/* `pvm read|write`: one process_vm_readv/_writev call into task TASK's memory; the result is in bytes. */
static void pvm_call(int id, int task, char *remote, size_t len, int write) {
  char *local = malloc(len);
  memset(local, 'p', len);
  struct iovec l = { local, len }, r = { remote, len };
  long n = write ? process_vm_writev(ctl->pid[task], &l, 1, &r, 1, 0) : process_vm_readv(ctl->pid[task], &l, 1, &r, 1, 0);
  h_result[id] = n < 0 ? -errno : n;
  free(local);
}
static void pvm_unpin(int id) {
  struct pvm *p = &pvms[id];
  if (!p->active) return;
  char *src = mmap(NULL, p->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  struct uffdio_copy cp = { .dst = (uintptr_t)p->local, .src = (uintptr_t)src, .len = p->len, .mode = 0 };
  ioctl(p->uffd, UFFDIO_COPY, &cp);
  pthread_join(p->th, NULL);
  h_result[id] = p->ret < 0 ? p->ret : p->ret / (long)PAGE;
  munmap(src, p->len);
  munmap(p->local, p->len);
  close(p->uffd);
  p->active = 0;
}

/* ---- pipes for vmsplice (made before any fork, so every task shares them) ---- */
static int pipe_r[MAXH], pipe_w[MAXH];
static void pipe_make(int id) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK)) die("pipe");
  pipe_r[id] = fds[0]; pipe_w[id] = fds[1];
}
/* `pipe NAME size=N`: F_SETPIPE_SZ (the kernel rounds up to a power of two of pages, as pipe_set_size does) */
static void pipe_size(int id, long size) {
  if (fcntl(pipe_w[id], F_SETPIPE_SZ, (int)size) < 0) out("@@E F_SETPIPE_SZ %ld: %s", size, strerror(errno));
}
static void pipe_vmsplice(int id, char *buf, size_t len) {
  struct iovec iov = { buf, len };
  long r = vmsplice(pipe_w[id], &iov, 1, SPLICE_F_NONBLOCK);
  h_result[id] = r < 0 ? -errno : r / (long)PAGE;
  h_bytes[id] = r < 0 ? h_result[id] : r;
}
/* `close`: reading the pipe empty releases the page references its buffers hold. */
static void pipe_drain(int id) {
  static char buf[65536];
  while (read(pipe_r[id], buf, sizeof buf) > 0) {}
}

/* ---- `get`: FOLL_GET references held by a pipe (vmsplice), one pipe per call; `put` closes them ---- */
static int *get_fds[MAXH];
static int get_n[MAXH], get_cap[MAXH];
static long get_pages[MAXH];
static void get_do(int id, char *buf, size_t len) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK)) { h_result[id] = -errno; return; }
  struct iovec iov = { buf, len };
  long r = vmsplice(fds[1], &iov, 1, SPLICE_F_NONBLOCK);
  close(fds[1]); /* the read end keeps the buffers and their references */
  h_result[id] = r < 0 ? -errno : (r + PAGE - 1) / (long)PAGE;
  if (r > 0) get_pages[id] += h_result[id];
  if (get_n[id] == get_cap[id]) { get_cap[id] = get_cap[id] ? 2 * get_cap[id] : 16; get_fds[id] = realloc(get_fds[id], get_cap[id] * sizeof(int)); }
  get_fds[id][get_n[id]++] = fds[0];
}
static void put_do(int id) {
  /* Read each pipe empty (which drops its page references even when a forked task still has the fd), then close. */
  static char sink[65536];
  for (int i = 0; i < get_n[id]; i++) { while (read(get_fds[id][i], sink, sizeof sink) > 0) {} close(get_fds[id][i]); }
  get_n[id] = 0;
  get_pages[id] = 0;
}

static const char *errname(long e) {
  switch (-e) {
  case ENOMEM: return "-ENOMEM"; case EFAULT: return "-EFAULT"; case EAGAIN: return "-EAGAIN";
  case EINVAL: return "-EINVAL"; case EBUSY: return "-EBUSY"; case EOPNOTSUPP: return "-EOPNOTSUPP";
  case ENOSPC: return "-ENOSPC"; case EPERM: return "-EPERM"; default: return "-E?";
  }
}
static void handle_measure(int line, int id, const char *field, const char *kind) {
  if (!strcmp(field, "result")) {
    if (h_result[id] < 0) out("@@M %d result %s", line, errname(h_result[id]));
    else out("@@M %d result %ld", line, h_result[id]);
    return;
  }
  if (!strcmp(field, "bytes")) {
    if (h_bytes[id] < 0) out("@@M %d bytes %s", line, errname(h_bytes[id]));
    else out("@@M %d bytes %ld", line, h_bytes[id]);
    return;
  }
  long pages = 0;
  if (!strcmp(kind, "pipe")) { int n = 0; ioctl(pipe_r[id], FIONREAD, &n); pages = (n + PAGE - 1) / PAGE; }
  else if (!strcmp(kind, "get")) pages = get_pages[id];
  out("@@M %d pages %ld", line, pages);
}

/* ---- tasks ---- */
static void task_fork(int idx) {
  int pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) { me = idx; rt_reopen_pagemap(); }
  else ctl->pid[idx] = pid; /* set by the parent, so a later exit statement always knows whom to wait for */
}
static volatile int gone_pid;
static void task_exit(int idx) {
  if (idx < 0 || idx == me) {
    for (int t = 0; t < 16; t++) if (t != me && ctl->pid[t] && !ctl->exitreq[t]) { ctl->cur = t; break; }
    ctl->exitreq[me] = 1;
    __atomic_store_n(&((struct ctl *)ctl)->exitreq[15], getpid(), __ATOMIC_SEQ_CST); /* slot 15: pid to wait for */
    _exit(0);
  }
  ctl->exitreq[idx] = 1;
  wait_gone(ctl->pid[idx]);
}
