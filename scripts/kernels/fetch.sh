#!/usr/bin/env bash
# Fetches what `npm run test:kernels` needs, with apt only, into a cache directory (default .cache/kernels):
#   - three Debian cloud kernels (5.10 from bullseye, read through a private apt configuration that leaves the
#     machine's own sources alone; 6.1 and 6.12 from the machine's bookworm sources), unpacked with dpkg -x;
#   - host tools installed with apt-get when missing: qemu-system-x86, busybox-static, udftools, e2fsprogs, xz-utils.
# Exact package versions are pinned where the archive still has them; otherwise the newest of the same series.
# Prints one line per kernel: NAME<TAB>DIRECTORY. Exit 3 (with a message) when something cannot be had.
set -uo pipefail
CACHE="${PINSCOPE_KERNEL_CACHE:-$(cd "$(dirname "$0")/../.." && pwd)/.cache/kernels}"
mkdir -p "$CACHE"
log() { echo "fetch: $*" >&2; }

need_tools() {
  local missing=()
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  { [ -x /bin/busybox ] && [ -n "$(/bin/busybox --list 2>/dev/null | grep -x insmod)" ] && [ -n "$(file -L /bin/busybox 2>/dev/null | grep statically)" ]; } || missing+=(busybox-static)
  command -v mkudffs >/dev/null || missing+=(udftools)
  command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs)
  command -v xz >/dev/null || missing+=(xz-utils)
  command -v file >/dev/null || missing+=(file)
  command -v cpio >/dev/null || missing+=(cpio)
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then log "missing ${missing[*]} and not root: install them with apt-get"; return 1; fi
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >"$CACHE/apt-install.log" 2>&1 \
      || { DEBIAN_FRONTEND=noninteractive apt-get update -o DPkg::Lock::Timeout=300 >>"$CACHE/apt-install.log" 2>&1 &&
           DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >>"$CACHE/apt-install.log" 2>&1; } \
      || { log "apt-get install ${missing[*]} failed (see $CACHE/apt-install.log)"; return 1; }
  fi
  # busybox-static installs /bin/busybox; make sure the one we copy is static
  [ -n "$(file -L /bin/busybox | grep statically)" ] || { log "/bin/busybox is not static"; return 1; }
}

# The machine's mirror, reused for bullseye (the machine's sources are not modified).
mirror() {
  local m
  m=$(grep -rhE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ')
  echo "${m:-http://deb.debian.org/debian}" | sed 's:/*$::'
}

BAPT="$CACHE/apt-bullseye"
bullseye_opts() {
  echo "-o Dir::Etc::SourceList=$BAPT/sources.list -o Dir::Etc::SourceParts=$BAPT/none -o Dir::State::Lists=$BAPT/lists -o Dir::Cache=$BAPT/cache -o Dir::State::Status=$BAPT/status"
}
setup_bullseye() {
  [ -s "$BAPT/lists/lock" ] || true
  mkdir -p "$BAPT/lists/partial" "$BAPT/cache/archives/partial" "$BAPT/none"
  : > "$BAPT/status"
  local m; m=$(mirror)
  local sec=${m%/debian}/debian-security
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s bullseye main\ndeb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s bullseye-security main\n' "$m" "$sec" > "$BAPT/sources.list"
  if [ -z "$(ls "$BAPT/lists" 2>/dev/null | grep Packages)" ]; then
    # shellcheck disable=SC2046
    apt-get $(bullseye_opts) update >"$BAPT/update.log" 2>&1
    ls "$BAPT/lists" | grep -q Packages || { log "cannot read bullseye from $m (see $BAPT/update.log)"; return 1; }
  fi
}

# pick OPTS EXACT PATTERN: the exact package if apt knows it, else the newest matching PATTERN (a regex).
pick() {
  local opts="$1" exact="$2" pattern="$3"
  # shellcheck disable=SC2086
  if apt-cache $opts show "$exact" >/dev/null 2>&1; then echo "$exact"; return; fi
  # shellcheck disable=SC2086
  apt-cache $opts search --names-only "$pattern" 2>/dev/null | awk '{print $1}' | grep -E "$pattern" | sort -V | tail -1
}

# get NAME OPTS PACKAGE: download and unpack PACKAGE into $CACHE/NAME, print NAME<TAB>DIR.
get() {
  local name="$1" opts="$2" pkg="$3" dir="$CACHE/$1"
  if [ -f "$dir/.done" ]; then printf '%s\t%s\n' "$name" "$dir"; return 0; fi
  rm -rf "$dir" "$CACHE/dl-$name"; mkdir -p "$CACHE/dl-$name"
  # shellcheck disable=SC2086
  (cd "$CACHE/dl-$name" && apt-get $opts download "$pkg" >"$CACHE/dl-$name.log" 2>&1) || { log "apt-get download $pkg failed (see $CACHE/dl-$name.log)"; return 1; }
  mkdir -p "$dir" && dpkg -x "$CACHE/dl-$name"/*.deb "$dir" || { log "dpkg -x $pkg failed"; return 1; }
  rm -rf "$CACHE/dl-$name"
  ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1 || { log "$pkg has no boot/vmlinuz"; return 1; }
  echo "$pkg" > "$dir/.package"; touch "$dir/.done"
  printf '%s\t%s\n' "$name" "$dir"
}

status=0
need_tools || status=3
if [ "$status" = 0 ]; then
  if setup_bullseye; then
    p=$(pick "$(bullseye_opts)" linux-image-5.10.0-32-cloud-amd64-unsigned '^linux-image-5\.10\.0-[0-9]+-cloud-amd64-unsigned$')
    [ -n "$p" ] && get 5.10 "$(bullseye_opts)" "$p" || { log "no 5.10 cloud kernel"; status=3; }
  else status=3; fi
  # A fresh machine's package lists can be older than the kernels pinned here: read them again, once, when
  # the 6.12 kernel is not cached and apt does not know it yet.
  if [ ! -f "$CACHE/6.12/.done" ] && [ -z "$(pick "" none '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$')" ]; then
    log "refreshing the machine's package lists (apt-get update)"
    apt-get update -o DPkg::Lock::Timeout=300 >"$CACHE/apt-update.log" 2>&1 || log "apt-get update failed (see $CACHE/apt-update.log)"
  fi
  p=$(pick "" linux-image-6.1.0-56-cloud-amd64-unsigned '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$')
  [ -n "$p" ] && get 6.1 "" "$p" || { log "no 6.1 cloud kernel"; status=3; }
  p=$(pick "" 'linux-image-6.12.117+deb12-cloud-amd64-unsigned' '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$')
  [ -n "$p" ] && get 6.12 "" "$p" || { log "no 6.12 cloud kernel"; status=3; }
fi
exit "$status"
