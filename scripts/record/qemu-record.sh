#!/usr/bin/env bash
# qemu-record.sh SCENARIO.scn OUT_DIR [KERNEL ...]
# Records SCENARIO with scripts/record/record.sh inside the qemu guests of `npm run test:kernels` (the three
# Debian kernels fetched by scripts/kernels/fetch.sh, default 5.10 6.1 6.12), one boot per kernel, and writes
# OUT_DIR/NAME.KERNEL.trace.json. In each guest it also checks the recorder's promises: after the recording and
# after a recording interrupted with SIGTERM, no kprobe event and no tracing instance is left, and tracing_on
# is off in the instance-free top level as before. Prints one line per kernel (time, trace size, checks).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 2 ] || { echo "usage: qemu-record.sh SCENARIO.scn OUT_DIR [KERNEL ...]" >&2; exit 2; }
scn=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); out=$2; shift 2
kernels=("$@"); [ ${#kernels[@]} -gt 0 ] || kernels=(5.10 6.1 6.12)
cache=${PINSCOPE_KERNEL_CACHE:-$root/.cache/kernels}
mkdir -p "$out"
out=$(cd "$out" && pwd)
name=$(basename "$scn" .scn)

# kernels (cached) and host tools
declare -A kdir=()
while IFS=$'\t' read -r k d; do [ -n "$k" ] && kdir[$k]=$d; done < <(PINSCOPE_KERNEL_CACHE="$cache" bash "$root/scripts/kernels/fetch.sh")

work=$(mktemp -d "${TMPDIR:-/tmp}/pinscope-qrec.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/progs/extra"
(cd "$root" && npx --yes tsx scripts/kernels/translate.ts "$scn") > "$work/prog.c" 2>/dev/null
gcc -O2 -static -w -I "$root/scripts/kernels" -o "$work/progs/extra/prog" "$work/prog.c" -lpthread
cp "$here/record.sh" "$work/progs/extra/record.sh"
cp "$scn" "$work/progs/extra/$name.scn"
cat > "$work/progs/extra/run.sh" <<EOF
#!/bin/sh
/bin/busybox --install -s /bin
cd /extra
T=/sys/kernel/tracing
sh ./record.sh -b ./prog -o /tmp/trace.json ./$name.scn
echo "@@REC status \$?"
echo "@@LEFT kprobes=\$(grep -c . \$T/kprobe_events) instances=\$(ls \$T/instances | wc -l) tracing_on=\$(cat \$T/tracing_on) top_events=\$(cat \$T/set_event | wc -l)"
echo @@TRACE-BEGIN
base64 /tmp/trace.json
echo @@TRACE-END
# interrupted mid-run: the trap must still remove everything
sh ./record.sh -b ./prog -o /tmp/killed.json ./$name.scn 2>/dev/null &
sleep 2; kill -TERM \$! 2>/dev/null; wait \$! 2>/dev/null
echo "@@KILLED status \$? kprobes=\$(grep -c . \$T/kprobe_events) instances=\$(ls \$T/instances | wc -l)"
EOF
chmod +x "$work/progs/extra/run.sh" "$work/progs/extra/record.sh"

status=0
for k in "${kernels[@]}"; do
  d=${kdir[$k]:-}
  [ -n "$d" ] || { echo "$k: kernel not available"; status=1; continue; }
  log="$cache/record-$k.log"
  t0=$(date +%s)
  bash "$root/scripts/kernels/boot.sh" "$d" "$work/progs" "$log" "${PINSCOPE_KERNEL_TIMEOUT:-400}"
  t1=$(date +%s)
  tr -d '\r' < "$log" | awk '/^@@TRACE-BEGIN/{on=1; next} /^@@TRACE-END/{on=0} on' | base64 -d > "$work/trace.json" 2>/dev/null || true
  rec=$(tr -d '\r' < "$log" | grep -a '^@@REC' || true)
  left=$(tr -d '\r' < "$log" | grep -a '^@@LEFT' || true)
  killed=$(tr -d '\r' < "$log" | grep -a '^@@KILLED' || true)
  if [ -s "$work/trace.json" ] && node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$work/trace.json"; then
    cp "$work/trace.json" "$out/$name.$k.trace.json"
    echo "$k: recorded in a boot of $((t1 - t0)) s, program $(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).program.seconds' "$work/trace.json") s, $(wc -c < "$out/$name.$k.trace.json") bytes; ${rec#@@} ${left#@@} ${killed#@@}"
  else
    echo "$k: no trace (see $log) ${rec#@@}"; status=1
  fi
  case "$left $killed" in *kprobes=0\ instances=0*kprobes=0\ instances=0*) ;; *) echo "$k: probes or instances were left behind"; status=1 ;; esac
done
exit $status
