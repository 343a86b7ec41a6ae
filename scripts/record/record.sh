#!/bin/sh
# pinscope recorder: runs a scenario on this machine's kernel under tracefs kprobe events and writes a trace
# file (JSON, format "pinscope-trace/1", described in scripts/record/README.md) that the explorer imports.
#
#   sudo sh scripts/record/record.sh [-o TRACE.json] [-b PROGRAM] SCENARIO.scn
#
# -b PROGRAM  a program already built from the scenario (npx tsx scripts/kernels/translate.ts SCENARIO.scn >
#             p.c && gcc -O2 -static -I scripts/kernels -o PROGRAM p.c -lpthread); without it the scenario is
#             translated and built here (needs node, npx and gcc).
# -o FILE     where the trace goes (default: SCENARIO's name with .trace.json, in the current directory).
#
# It refuses (exit 2, one sentence on stderr) without root, tracefs at /sys/kernel/tracing, kprobe events,
# /proc/kcore or the kernel functions it must probe. The kprobe events it defines (and the in-flight probe the
# program defines) are removed, and the tracing instance it made is deleted, on every exit (trap on EXIT, INT,
# TERM). The machine's own tracing (the top-level buffer, tracing_on) is never switched on.
# Warning: the program overwrites the devices the scenario's files live on (/dev/ram0 partitions for
# fs=blockdev; files under /mnt/iomap, /mnt/legacy, /mnt/fat), exactly as in the qemu test guests.
set -u
REC_VERSION=1
TRACEFS=/sys/kernel/tracing

refuse() { echo "record.sh: $*" >&2; exit 2; }
usage() { echo "usage: record.sh [-o TRACE.json] [-b PROGRAM] SCENARIO.scn" >&2; exit 2; }

OUT=""; PROG=""
while getopts o:b:h opt; do
  case "$opt" in
    o) OUT=$OPTARG ;;
    b) PROG=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
SCN=$1
[ -r "$SCN" ] || refuse "cannot read the scenario file $SCN."
[ -n "$OUT" ] || OUT="$(basename "$SCN" .scn).trace.json"

# ---- what this machine must have ----
[ "$(id -u)" = 0 ] || refuse "needs root (run it with sudo): it reads /proc/kcore and defines kprobe events."
[ "$(uname -m)" = x86_64 ] || refuse "only x86-64 is supported (the struct page offsets it reads are x86-64's)."
[ -d "$TRACEFS/instances" ] || refuse "tracefs is not mounted at $TRACEFS (mount it with: mount -t tracefs nodev $TRACEFS)."
[ -w "$TRACEFS/kprobe_events" ] || refuse "this kernel has no kprobe events ($TRACEFS/kprobe_events is missing: CONFIG_KPROBE_EVENTS)."
[ -r /proc/kcore ] || refuse "/proc/kcore is missing (CONFIG_PROC_KCORE), so struct page counts cannot be read."
for f in /proc/kpageflags /proc/kpagecount /proc/self/pagemap; do
  [ -r "$f" ] || refuse "$f is missing (CONFIG_PROC_PAGE_MONITOR), so pages cannot be identified."
done
has_sym() { awk -v f="$1" '$3 == f { found = 1; exit } END { exit !found }' /proc/kallsyms; }
need="submit_bio"
grep -Eq '^[[:space:]]*dio[[:space:]]' "$SCN" && need="$need bio_iov_iter_get_pages"
missing=""
for f in $need; do has_sym "$f" || missing="$missing $f"; done
[ -z "$missing" ] || refuse "the kernel has no symbol${missing} to probe (needed to trace this scenario)."
# Functions probed when the kernel has them (entry and return): who takes and drops the references.
FUNCS=""; ABSENT=""
for f in submit_bio bio_iov_iter_get_pages bio_release_pages __bio_release_pages iomap_dio_rw __blockdev_direct_IO \
         get_user_pages_fast pin_user_pages_fast pin_user_pages_remote unpin_user_page unpin_user_pages \
         unpin_user_pages_dirty_lock copy_process; do
  if has_sym "$f"; then FUNCS="$FUNCS $f"; else ABSENT="$ABSENT $f"; fi
done
FUNCS=${FUNCS# }; ABSENT=${ABSENT# }
# The devices and mounts the scenario's files live on.
grep -q 'fs=blockdev' "$SCN" && { [ -b /dev/ram0 ] || refuse "the scenario needs the RAM disk /dev/ram0 for fs=blockdev (modprobe brd rd_nr=4 rd_size=16384 max_part=15; it is repartitioned and overwritten)."; }
for m in iomap:iomap legacy:legacy udf:legacy fat:fat; do
  fs=${m%%:*}; dir=/mnt/${m#*:}
  if grep -Eq "fs=$fs([[:space:]]|\$)" "$SCN"; then
    awk -v d="$dir" '$2 == d { found = 1 } END { exit !found }' /proc/mounts || refuse "the scenario needs a filesystem mounted at $dir for fs=$fs (see scripts/record/README.md)."
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pinscope-rec.XXXXXX") || refuse "cannot make a temporary directory."
GROUP="pinscope_rec_$$"
INST="$TRACEFS/instances/$GROUP"

# ---- the cleanup that always runs ----
cleanup() {
  trap '' INT TERM
  [ -d "$INST/events/$GROUP" ] && echo 0 > "$INST/events/$GROUP/enable" 2>/dev/null
  [ -d "$INST" ] && echo 0 > "$INST/tracing_on" 2>/dev/null
  # the program's own in-flight probe (scripts/kernels/rt.h), should it have been killed before removing it
  [ -d "$TRACEFS/events/pinscope/sb" ] && { echo 0 > "$TRACEFS/events/pinscope/sb/enable" 2>/dev/null; echo '-:pinscope/sb' >> "$TRACEFS/kprobe_events" 2>/dev/null; }
  grep -E "^[pr]:$GROUP/" "$TRACEFS/kprobe_events" 2>/dev/null | while read -r def _; do
    echo "-:${def#*:}" >> "$TRACEFS/kprobe_events" 2>/dev/null
  done
  [ -d "$INST" ] && rmdir "$INST" 2>/dev/null
  if grep -Eq "^[pr]:$GROUP/" "$TRACEFS/kprobe_events" 2>/dev/null || [ -d "$INST" ]; then
    echo "record.sh: could not remove every probe of $GROUP (see $TRACEFS/kprobe_events)" >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the program ----
if [ -z "$PROG" ]; then
  ROOT=$(cd "$(dirname "$0")/../.." && pwd)
  command -v npx >/dev/null && command -v gcc >/dev/null || refuse "building the program needs npx and gcc (or give a prebuilt one with -b)."
  (cd "$ROOT" && npx --yes tsx scripts/kernels/translate.ts "$SCN") > "$WORK/prog.c" 2> "$WORK/plan.txt" || refuse "the scenario could not be translated (see npx tsx scripts/kernels/translate.ts $SCN)."
  grep -q 'nothing runnable' "$WORK/prog.c" && refuse "nothing in this scenario can be run on a real kernel."
  gcc -O2 -static -w -I "$ROOT/scripts/kernels" -o "$WORK/prog" "$WORK/prog.c" -lpthread 2> "$WORK/gcc.txt" || refuse "the program does not compile (gcc: $(grep -m1 error "$WORK/gcc.txt"))."
  PROG="$WORK/prog"
fi
[ -x "$PROG" ] || refuse "the program $PROG is not executable."

mkdir "$INST" || refuse "cannot make the tracing instance $INST."
echo 0 > "$INST/tracing_on"
echo 4096 > "$INST/buffer_size_kb" 2>/dev/null
echo 1 > "$INST/tracing_on"

T0=$(date +%s)
PINSCOPE_REC_DIR="$INST" PINSCOPE_REC_GROUP="$GROUP" PINSCOPE_REC_FUNCS="$FUNCS" PINSCOPE_REC_LOG="$WORK/trace.txt" \
  PINSCOPE_REC_TRACEFS="$TRACEFS" "$PROG" > "$WORK/out.txt" 2> "$WORK/err.txt"
STATUS=$?
T1=$(date +%s)
echo 0 > "$INST/tracing_on"
[ -f "$WORK/trace.txt" ] || : > "$WORK/trace.txt"

# PFNs are hashed with a salt that is never written down, so a shared trace does not give them away (the zero
# page and the huge zero folio are named instead). One hash per PFN, the same all through the trace.
SALT=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
pfn_hash() {
  if command -v sha256sum >/dev/null; then printf '%s:%s' "$SALT" "$1" | sha256sum | cut -c1-16
  else printf '%s:%s' "$SALT" "$1" | cksum | awk '{ printf "%08x%08x\n", $1, $2 }'; fi
}
: > "$WORK/hashes.txt"
awk '$1 == "@@P" { print $4 }' "$WORK/out.txt" | sort -u | while read -r pfn; do echo "$pfn $(pfn_hash "$pfn")" >> "$WORK/hashes.txt"; done

awk -v release="$(uname -r)" -v version="$(uname -v)" -v machine="$(uname -m)" -v status="$STATUS" \
    -v seconds="$((T1 - T0))" -v funcs="$FUNCS" -v absent="$ABSENT" -v recv="$REC_VERSION" \
    -v scnname="$(basename "$SCN")" -v recorded="$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\n/, "\\n", s); gsub(/\t/, "\\t", s); gsub(/\r/, "", s); return "\"" s "\"" }
function words(s,   n, a, i, o) { n = split(s, a, " "); o = ""; for (i = 1; i <= n; i++) o = o (i > 1 ? ", " : "") esc(a[i]); return "[" o "]" }
function num(s) { return s ~ /^-?[0-9]+$/ ? s + 0 : esc(s) }
function emit(arr, s) { n_[arr]++; body[arr] = body[arr] (n_[arr] > 1 ? ",\n    " : "    ") s }
# one count of one page, seen at event or sample time: a change when it differs from the last value seen
function seen(id, field, v, fname, at,   key, f) {
  key = id SUBSEP field
  if ((key in last) && last[key] != v) {
    f = fname == "" ? "null" : esc(fname)
    emit("changes", "{ \"line\": " curline ", \"page\": " esc(id) ", \"field\": " esc(field) ", \"from\": " last[key] ", \"to\": " v ", \"func\": " f ", \"seen\": " esc(at) " }")
  }
  last[key] = v
}
FILENAME == ARGV[1] { hashof[$1] = $2; next }
FILENAME == ARGV[2] { scn = scn (FNR > 1 ? "\n" : "") $0; text[FNR] = $0; next }
FILENAME == ARGV[3] {
  if ($1 == "@@P") {
    h = ($4 in hashof) ? hashof[$4] : "?"
    pfn = $2 == "zero" ? "\"zero page\"" : $2 == "hugezero" ? "\"huge zero folio\"" : esc("sha256:" h)
    emit("pages", "{ \"id\": " esc($2) ", \"role\": " esc($3) ", \"pfn\": " pfn ", \"firstLine\": " ($5 + 0) ", \"large\": " ($6 == "large" ? "true" : "false") " }")
  } else if ($1 == "@@M") {
    v = $4; for (i = 5; i <= NF; i++) v = v " " $i
    t = text[$2 + 0]; sub(/^[ \t]+/, "", t); sub(/[ \t]+#.*$/, "", t)
    emit("measurements", "{ \"line\": " ($2 + 0) ", \"text\": " esc(t) ", \"field\": " esc($3) ", \"value\": " esc(v) " }")
  } else if ($1 == "@@X") {
    v = $3; for (i = 4; i <= NF; i++) v = v " " $i
    t = text[$2 + 0]; sub(/^[ \t]+/, "", t); sub(/[ \t]+#.*$/, "", t)
    emit("measurements", "{ \"line\": " ($2 + 0) ", \"text\": " esc(t) ", \"unmeasured\": " esc(v) " }")
  } else if ($1 == "@@E") { v = $2; for (i = 3; i <= NF; i++) v = v " " $i; emit("errors", esc(v)) }
  else if ($1 == "@@I") { v = $2; for (i = 3; i <= NF; i++) v = v " " $i; emit("info", esc(v)) }
  next
}
# ---- the tracing instance buffer ----
/^# entries-in-buffer\/entries-written:/ { split($3, e, "/"); lost += e[2] - e[1]; next }
/^#/ { next }
{
  ts = 0
  for (k = 1; k <= NF; k++) if ($k ~ /^[0-9]+\.[0-9]+:$/) { ts = k; break }
  if (!ts) next
  pid = 0
  for (j = 1; j < ts; j++) if ($j ~ /^\[[0-9]+\]$/ && j > 1) { p = $(j - 1); sub(/^.*-/, "", p); pid = p + 0; break }
  t = substr($ts, 1, length($ts) - 1)
  ev = $(ts + 1); sub(/:$/, "", ev)
  if (ev == "tracing_mark_write") {
    if ($(ts + 2) != "pinscope") next
    kind = $(ts + 3)
    own[pid] = 1
    if (kind == "line") curline = $(ts + 4) + 0
    else if (kind == "watch") { nw = 0; for (k = ts + 5; k <= NF; k++) watch[nw++] = $k }
    else if (kind == "sample") {
      id = $(ts + 4)
      for (k = ts + 5; k <= NF; k++) {
        split($k, kv, "=")
        if (kv[1] == "c") seen(id, "refcount", kv[2] + 0, "", "sample")
        else if (kv[1] == "q") seen(id, "pincount", kv[2] + 0, "", "sample")
        else if (kv[1] == "m" && id != "zero" && id != "hugezero") seen(id, "mapcount", kv[2] + 1, "", "sample")
      }
    }
    next
  }
  n = length(ev)
  fn = substr(ev, 1, n - 2); at = substr(ev, n - 1) == "_r" ? "return" : "entry"
  mine = (pid in own)
  # the innermost probed function open before this event (per task) made what changed since the last one
  inner = depth[pid] > 0 ? stack[pid, depth[pid]] : ""
  counts = ""
  for (k = ts + 2; k <= NF; k++) {
    if ($k !~ /^[cmq][0-9]+=/) continue
    split($k, kv, "="); f = substr(kv[1], 1, 1); i = substr(kv[1], 2) + 0; id = watch[i]; v = kv[2] + 0
    field = f == "c" ? "refcount" : f == "q" ? "pincount" : "mapcount"
    if (f == "m") { if (id == "zero" || id == "hugezero") continue; v = v + 1 }
    if (mine) seen(id, field, v, inner, at)
    if (id in cs) cs[id] = cs[id] ", \"" field "\": " v
    else cs[id] = "\"" field "\": " v
    if (!(id in order)) { order[id] = 1; ids[++nid] = id }
  }
  for (q = 1; q <= nid; q++) counts = counts (q > 1 ? ", " : "") esc(ids[q]) ": { " cs[ids[q]] " }"
  for (q = 1; q <= nid; q++) { delete cs[ids[q]]; delete order[ids[q]] }
  nid = 0
  emit("events", "{ \"t\": " t ", \"line\": " curline ", \"pid\": " pid ", \"own\": " (mine ? "true" : "false") ", \"func\": " esc(fn) ", \"at\": " esc(at) ", \"counts\": { " counts " } }")
  if (at == "entry") stack[pid, ++depth[pid]] = fn
  else for (d = depth[pid]; d > 0; d--) if (stack[pid, d] == fn) { depth[pid] = d - 1; break }
}
END {
  print "{"
  print "  \"format\": \"pinscope-trace/1\","
  print "  \"recorder\": " esc("scripts/record/record.sh " recv) ","
  print "  \"recorded\": " esc(recorded) ","
  print "  \"kernel\": { \"release\": " esc(release) ", \"version\": " esc(version) ", \"machine\": " esc(machine) " },"
  print "  \"scenario\": { \"file\": " esc(scnname) ", \"text\": " esc(scn) " },"
  print "  \"program\": { \"exit\": " (status + 0) ", \"seconds\": " (seconds + 0) ", \"errors\": [" (n_["errors"] ? "\n    " body["errors"] "\n  " : "") "], \"info\": [" (n_["info"] ? "\n    " body["info"] "\n  " : "") "] },"
  print "  \"probes\": { \"functions\": " words(funcs) ", \"absent\": " words(absent) ", \"lostEvents\": " (lost + 0) " },"
  for (a = 1; a <= 4; a++) {
    name = a == 1 ? "pages" : a == 2 ? "measurements" : a == 3 ? "changes" : "events"
    print "  \"" name "\": [" (n_[name] ? "\n" body[name] "\n  " : "") "]" (a < 4 ? "," : "")
  }
  print "}"
}' "$WORK/hashes.txt" "$SCN" "$WORK/out.txt" "$WORK/trace.txt" > "$OUT.tmp" && mv "$OUT.tmp" "$OUT" || { rm -f "$OUT.tmp"; refuse "could not write $OUT."; }

echo "record.sh: wrote $OUT ($(wc -c < "$OUT" | tr -d ' ') bytes; program exit $STATUS, $((T1 - T0)) s)" >&2
[ "$STATUS" = 0 ] || exit 1
exit 0
