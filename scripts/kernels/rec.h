/* pinscope real-kernel runtime, part 4: recording hooks for scripts/record/record.sh. Included by the generated
 * program after its mapping table (rec_maps). Inactive unless PINSCOPE_REC_DIR names a tracefs instance the
 * recorder made; then, at the start of every statement:
 *   - the set of watched pages is worked out: the zero page, the huge zero folio, and the head page of every
 *     folio mapped in the scenario's mappings (in the task that runs the statement), at most REC_MAX;
 *   - when that set changed, the instance's buffer is appended to PINSCOPE_REC_LOG (records of a deleted event
 *     could no longer be printed), the recorder's kprobe events are redefined to fetch each watched page's
 *     _refcount and _mapcount (and a large folio's pin count), and enabled in the instance only;
 *   - each watched page's counts are read (through /proc/kcore) and written as "pinscope sample ID c=R m=M"
 *     (or q=PINCOUNT for a large folio) markers, then "pinscope line N", to the instance's trace_marker, so each
 *     event is tied to a statement and a change made outside the probed functions is still seen.
 * New pages are reported as `@@P ID ROLE PFN LINE` (the recorder hashes the PFN before writing the trace).
 * Each function F in PINSCOPE_REC_FUNCS gets an entry probe (F_e) and a return probe (F_r) in group
 * PINSCOPE_REC_GROUP. The recorder (a shell trap) removes them whatever happens to this program. */
#define REC_MAX 24
#define OFF_MAPCOUNT 48UL

struct rec_shared {
  int watch_n, version;
  int64_t watch[REC_MAX];
  int large[REC_MAX];
  char id[REC_MAX][16];
  int seen_n;
  int64_t seen[64];
  char seen_id[64][16];
};
static struct rec_shared *rec;
static const char *rec_dir, *rec_group, *rec_funcs, *rec_log;
static char rec_kev[512]; /* TRACEFS/kprobe_events */

static void rec_path(char *buf, size_t n, const char *leaf) { snprintf(buf, n, "%s/%s", rec_dir, leaf); }

/* Append the instance's buffer to the log and empty the buffer. */
static void rec_dump(void) {
  char p[512];
  rec_path(p, sizeof p, "trace");
  int in = open(p, O_RDONLY);
  int outfd = open(rec_log, O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (in >= 0 && outfd >= 0) {
    static char buf[1 << 16];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) if (write(outfd, buf, n) != n) break;
  }
  if (in >= 0) close(in);
  if (outfd >= 0) close(outfd);
  write_file(p, "", 0);
}

static void rec_marker(const char *fmt, ...) {
  char p[512], m[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  rec_path(p, sizeof p, "trace_marker");
  write_file(p, m, 0);
}

static void rec_enable(int on) {
  char p[512];
  snprintf(p, sizeof p, "%s/events/%s/enable", rec_dir, rec_group);
  write_file(p, on ? "1" : "0", 0);
}

/* Delete the recorder's events (disabled first). */
static void rec_undefine(void) {
  char f[1024], d[256];
  snprintf(f, sizeof f, "%s", rec_funcs);
  for (char *fn = strtok(f, " "); fn; fn = strtok(NULL, " ")) {
    snprintf(d, sizeof d, "-:%s/%s_e\n", rec_group, fn);
    write_file(rec_kev, d, 1);
    snprintf(d, sizeof d, "-:%s/%s_r\n", rec_group, fn);
    write_file(rec_kev, d, 1);
  }
}

static void rec_define(void) {
  char f[1024];
  snprintf(f, sizeof f, "%s", rec_funcs);
  for (char *fn = strtok(f, " "); fn; fn = strtok(NULL, " ")) {
    for (int ret = 0; ret < 2; ret++) {
      static char def[4096];
      int k = snprintf(def, sizeof def, "%c:%s/%s_%c %s", ret ? 'r' : 'p', rec_group, fn, ret ? 'r' : 'e', fn);
      for (int i = 0; i < rec->watch_n && k < (int)sizeof def - 128; i++) {
        uint64_t a = page_addr((uint64_t)rec->watch[i]);
        k += snprintf(def + k, sizeof def - k, " c%d=@0x%llx:s32", i, (unsigned long long)(a + OFF_REFCOUNT));
        if (rec->large[i]) k += snprintf(def + k, sizeof def - k, " q%d=@0x%llx:s32", i, (unsigned long long)(a + off_pincount));
        else k += snprintf(def + k, sizeof def - k, " m%d=@0x%llx:s32", i, (unsigned long long)(a + OFF_MAPCOUNT));
      }
      def[k++] = '\n';
      def[k] = 0;
      if (write_file(rec_kev, def, 1)) out("@@I recorder: probe on %s%s refused: %s", fn, ret ? " (return)" : "", strerror(errno));
    }
  }
}

/* The id of a page (zero, hugezero, p1, p2, ...), reporting it the first time it is seen. */
static const char *rec_id(int64_t pfn, const char *role, int line) {
  for (int i = 0; i < rec->seen_n; i++) if (rec->seen[i] == pfn) return rec->seen_id[i];
  if (rec->seen_n >= 64) return NULL;
  int i = rec->seen_n++;
  rec->seen[i] = pfn;
  if (pfn == zero_pfn) snprintf(rec->seen_id[i], 16, "zero");
  else if (pfn == hugezero_pfn) snprintf(rec->seen_id[i], 16, "hugezero");
  else snprintf(rec->seen_id[i], 16, "p%d", i + 1);
  out("@@P %s %s %lld %d %s", rec->seen_id[i], role, (long long)pfn, line, is_large((uint64_t)pfn) ? "large" : "small");
  return rec->seen_id[i];
}

/* Each watched page's counts read from user space (through /proc/kcore) between two statements, as markers:
 * a change seen here was made by the statement before, outside the probed functions. */
static void rec_sample(void) {
  for (int i = 0; i < rec->watch_n; i++) {
    uint64_t a = page_addr((uint64_t)rec->watch[i]);
    int32_t c = 0, x = 0;
    if (kread(a + OFF_REFCOUNT, &c, 4)) continue;
    if (rec->large[i]) { if (kread(a + off_pincount, &x, 4)) continue; rec_marker("pinscope sample %s c=%d q=%d", rec->id[i], c, x); }
    else { if (kread(a + OFF_MAPCOUNT, &x, 4)) continue; rec_marker("pinscope sample %s c=%d m=%d", rec->id[i], c, x); }
  }
}

static void rec_line(int line) {
  if (!rec) return;
  struct rec_shared next;
  memset(&next, 0, sizeof next);
  int64_t cand[REC_MAX];
  char roles[REC_MAX][64];
  int n = 0;
  if (zero_pfn >= 0) { cand[n] = zero_pfn; snprintf(roles[n++], 64, "zero"); }
  if (hugezero_pfn >= 0) { cand[n] = hugezero_pfn; snprintf(roles[n++], 64, "hugezero"); }
  for (int m = 0; m < REC_NMAPS; m++) {
    char *base = *rec_maps[m].p;
    if (!base) continue;
    for (size_t off = 0; off < rec_maps[m].size && n < REC_MAX; off += PAGE) {
      int64_t pfn = pfn_of(base + off);
      if (pfn < 0) continue;
      int64_t h = (int64_t)head_of((uint64_t)pfn);
      int dup = 0;
      for (int i = 0; i < n; i++) if (cand[i] == h) dup = 1;
      if (dup) continue;
      cand[n] = h;
      snprintf(roles[n++], 64, "%s+%zu", rec_maps[m].name, off);
    }
  }
  int same = n == rec->watch_n;
  for (int i = 0; same && i < n; i++) same = cand[i] == rec->watch[i];
  if (!same) {
    rec_enable(0);
    rec_dump();
    rec_undefine();
    rec->watch_n = n;
    char list[REC_MAX * 18] = "";
    for (int i = 0; i < n; i++) {
      rec->watch[i] = cand[i];
      rec->large[i] = cand[i] != zero_pfn && is_large((uint64_t)cand[i]);
      const char *id = rec_id(cand[i], roles[i], line);
      snprintf(rec->id[i], 16, "%s", id ? id : "?");
      strcat(list, " ");
      strcat(list, rec->id[i]);
    }
    rec->version++;
    rec_define();
    rec_enable(1);
    rec_marker("pinscope watch %d%s", rec->version, list);
  }
  rec_sample();
  rec_marker("pinscope line %d", line);
}

/* Called once by main before the first statement. */
static void rec_init(void) {
  rec_dir = getenv("PINSCOPE_REC_DIR");
  rec_group = getenv("PINSCOPE_REC_GROUP");
  rec_funcs = getenv("PINSCOPE_REC_FUNCS");
  rec_log = getenv("PINSCOPE_REC_LOG");
  const char *tracefs = getenv("PINSCOPE_REC_TRACEFS");
  if (!rec_dir || !rec_group || !rec_funcs || !rec_log || !tracefs) return;
  snprintf(rec_kev, sizeof rec_kev, "%s/kprobe_events", tracefs);
  rec = mmap(NULL, sizeof *rec, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (rec == MAP_FAILED) die("mmap recorder state");
  memset(rec, 0, sizeof *rec);
  out("@@I recorder: watching up to %d pages", REC_MAX);
}

/* Called by the supervisor at the end: the last records, then the events are disabled and deleted. */
static void rec_finish(void) {
  if (!rec) return;
  rec_sample();
  rec_marker("pinscope end");
  rec_enable(0);
  rec_dump();
  rec_undefine();
}
