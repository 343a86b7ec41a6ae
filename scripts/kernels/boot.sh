#!/usr/bin/env bash
# boot.sh KERNEL_DIR PROGRAM_DIR LOG [TIMEOUT_SECONDS]
# Builds an initramfs (static busybox, the brd and udf modules with their dependencies, an ext4 image and a
# UDF image, and every program in PROGRAM_DIR), boots the kernel from KERNEL_DIR (a dpkg -x tree) under qemu
# with TCG, and writes the serial console to LOG. In the guest /init runs each program in turn:
#   @@BEGIN NAME ... program output ... @@END NAME STATUS, then @@DONE and a power-off.
# Devices: /dev/ram0 raw (fs=blockdev), ext4 on /dev/ram1 at /mnt/iomap (iomap), UDF (4 KiB blocks,
# noadinicb) on /dev/ram2 at /mnt/legacy (fs/direct-io.c), FAT32 (busybox mkdosfs, 512-byte sectors) on /dev/ram3
# at /mnt/fat; fs=blockdev files are partitions of /dev/ram0 (max_part=15) made by each program. brd completes each bio inside submit_bio.
set -euo pipefail
KDIR="$1"; PROGS="$2"; LOG="$3"; TIMEOUT="${4:-300}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pinscope-initramfs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
R="$WORK/root"
mkdir -p "$R"/{bin,dev,proc,sys,mnt/iomap,mnt/legacy,mnt/fat,lib/modules,prog,img,tmp}
cp /bin/busybox "$R/bin/busybox"
for a in sh mount umount insmod mkdir cat echo dd poweroff sleep ls sync; do ln -sf busybox "$R/bin/$a"; done
MODDIR=$(ls -d "$KDIR"/lib/modules/*/ | head -1)

# Modules in dependency order (depends= from modinfo), decompressed on the host.
declare -A seen=()
order=()
findmod() { find "$MODDIR" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$(echo "$1" | tr _ -).ko" -o -name "$(echo "$1" | tr _ -).ko.xz" \) | head -1; }
addmod() {
  local name="$1" f deps d
  [ -n "${seen[$name]:-}" ] && return 0
  seen[$name]=1
  f=$(findmod "$name")
  [ -z "$f" ] && return 0   # built in
  # the depends= string of the module's .modinfo section (no kmod needed)
  deps=$( { case "$f" in *.xz) xz -dc "$f" ;; *) cat "$f" ;; esac; } | tr '\0' '\n' | grep -a '^depends=' | head -1 | cut -d= -f2 | tr , ' ')
  for d in $deps; do addmod "$d"; done
  local out="$R/lib/modules/$name.ko"
  case "$f" in *.xz) xz -dc "$f" > "$out" ;; *) cp "$f" "$out" ;; esac
  order+=("$name")
}
for m in brd udf vfat nls_cp437 nls_ascii nls_utf8; do addmod "$m"; done

# Filesystem images, copied onto the RAM disks in the guest.
truncate -s 16M "$R/img/ext4.img"; mkfs.ext4 -q -F -b 4096 -O ^has_journal "$R/img/ext4.img"
truncate -s 16M "$R/img/udf.img"; mkudffs --blocksize=4096 --media-type=hd "$R/img/udf.img" >/dev/null
truncate -s 16M "$R/img/fat.img"; busybox mkdosfs -n PINSCOPE "$R/img/fat.img" >/dev/null
cp "$PROGS"/*.bin "$R/prog/" 2>/dev/null || true
# PROGRAM_DIR/extra (optional, used by scripts/record/qemu-record.sh): copied to /extra; /extra/run.sh, when
# there, runs instead of the programs.
if [ -d "$PROGS/extra" ]; then cp -r "$PROGS/extra" "$R/extra"; fi

{
  echo '#!/bin/sh'
  echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null'
  echo 'mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || mount -t debugfs debugfs /sys/kernel/debug'
  for m in "${order[@]}"; do
    if [ "$m" = brd ]; then echo "insmod /lib/modules/brd.ko rd_nr=4 rd_size=16384 max_part=15"; else echo "insmod /lib/modules/$m.ko"; fi
  done
  echo 'dd if=/img/ext4.img of=/dev/ram1 bs=1M 2>/dev/null; dd if=/img/udf.img of=/dev/ram2 bs=1M 2>/dev/null; dd if=/img/fat.img of=/dev/ram3 bs=1M 2>/dev/null; rm -f /img/*.img'
  echo 'mount -t ext4 /dev/ram1 /mnt/iomap || echo "@@I cannot mount ext4"'
  echo 'mount -t udf -o noadinicb,bs=4096 /dev/ram2 /mnt/legacy || echo "@@I cannot mount udf"'
  echo 'mount -t vfat /dev/ram3 /mnt/fat || echo "@@I cannot mount vfat"'
  echo 'export PINSCOPE_VMEMMAP_SYM=$(grep " vmemmap_base$" /proc/kallsyms | cut -d" " -f1)'
  echo 'echo "@@READY $(cat /proc/sys/kernel/osrelease)"'
  echo 'if [ -x /extra/run.sh ]; then /extra/run.sh; else'
  echo 'for p in /prog/*.bin; do n=${p##*/}; n=${n%.bin}; echo "@@BEGIN $n"; "$p"; echo "@@END $n $?"; done'
  echo 'fi'
  echo 'echo @@DONE; sync; poweroff -f'
} > "$R/init"
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/initramfs.gz"

timeout --foreground -k 5 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max,la57=off -smp 1 -m 1024 -nographic -no-reboot \
  -kernel "$(ls "$KDIR"/boot/vmlinuz-* | head -1)" -initrd "$WORK/initramfs.gz" \
  -append "console=ttyS0 nokaslr panic=-1 quiet loglevel=3 transparent_hugepage=madvise" \
  -monitor none -serial stdio </dev/null > "$LOG" 2>&1 || echo "@@QEMU exit $?" >> "$LOG"
