#!/bin/sh
# Writes a FIT source (.its) holding a Kairos image and a board DTB, with one configuration
# that boots the first with the second, for `mkimage -f`.
# Usage: fit-its.sh NAME IMAGE.bin BOARD.dtb LOAD_ADDR > NAME.its
set -eu
[ $# -eq 4 ] || { echo "usage: $0 NAME IMAGE.bin BOARD.dtb LOAD_ADDR" >&2; exit 2; }
name=$1 image=$2 dtb=$3 load=$4
for f in "$image" "$dtb"; do
    [ -f "$f" ] || { echo "fit-its.sh: no such file: $f" >&2; exit 1; }
done
cat <<ITS
/dts-v1/;

/ {
    description = "Kairos $name";
    #address-cells = <1>;

    images {
        kernel-1 {
            description = "Kairos loader, kernel and root task ($name)";
            data = /incbin/("$(realpath "$image")");
            type = "kernel";
            arch = "arm64";
            os = "linux";
            compression = "none";
            load = <$load>;
            entry = <$load>;
            hash-1 { algo = "sha256"; };
        };
        fdt-1 {
            description = "board device tree";
            data = /incbin/("$(realpath "$dtb")");
            type = "flat_dt";
            arch = "arm64";
            compression = "none";
            hash-1 { algo = "sha256"; };
        };
    };

    configurations {
        default = "conf-1";
        conf-1 {
            description = "Kairos $name with the board device tree";
            kernel = "kernel-1";
            fdt = "fdt-1";
        };
    };
};
ITS
