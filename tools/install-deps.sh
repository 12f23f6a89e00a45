#!/bin/sh
# Checks for every host tool Kairos needs and, when one is missing and we are root,
# installs the Debian packages that provide it. Not root: names the packages and fails.
# Usage: tools/install-deps.sh [--help]
set -u
case "${1:-}" in
-h|--help)
    echo "usage: $0   (installs missing build/run/test dependencies with apt-get)"
    exit 0 ;;
esac

# command:package pairs
NEEDED="aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu
qemu-system-aarch64:qemu-system-arm
mkimage:u-boot-tools
mkenvimage:u-boot-tools
mcopy:mtools
gnuplot:gnuplot-nox
dtc:device-tree-compiler
python3:python3
gcc:gcc
make:make"
# Files (not commands) that a package provides. mkfs.vfat and sfdisk (the U-Boot boot disk,
# tools/uboot/uboot.mk) are in /sbin, which a user's PATH may lack: look for the file.
NEEDED_FILES="/usr/lib/u-boot/qemu_arm64/u-boot.bin:u-boot-qemu
/sbin/mkfs.vfat:dosfstools
/sbin/sfdisk:fdisk"

missing=""
for pair in $NEEDED; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
for pair in $NEEDED_FILES; do
    file=${pair%%:*}; pkg=${pair#*:}
    [ -e "$file" ] || missing="$missing $pkg"
done
# The host sanitizers need libasan/libubsan, which Debian's gcc pulls in; check they link.
if command -v gcc >/dev/null 2>&1; then
    probe=$(mktemp -d)
    echo 'int main(void){return 0;}' > "$probe/p.c"
    gcc -fsanitize=address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1 ||
        missing="$missing libasan8 libubsan1"
    rm -rf "$probe"
fi
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
[ -z "${missing% }" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "kairos: missing packages: $missing" >&2
    echo "kairos: install them as root: apt-get install -y $missing" >&2
    exit 1
fi
echo "kairos: installing $missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 && apt-get install -y -qq $missing >&2 || {
    echo "kairos: apt-get failed to install: $missing" >&2
    exit 1
}
