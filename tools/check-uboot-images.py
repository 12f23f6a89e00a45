#!/usr/bin/env python3
"""Checks the U-Boot images `make images` made for one platform, QEMU-runnable or not.

For NAME it reads NAME.bin, NAME.elf, NAME.uImage and NAME.itb, and boot.scr, in --images,
and checks each against what U-Boot and the board need: the legacy headers and their CRCs,
the load and entry address (--load-addr, the loader's link address), the payloads byte for
byte, the FIT's configuration, hashes and device tree (--dtb, the board's), and the boot
script's commands. One line per case: 'PASS images/<platform>/<case>' or 'FAIL ...: why'.
"""
import argparse
import hashlib
import os
import struct
import subprocess
import sys
import zlib

UIMAGE_MAGIC = 0x27051956
UIMAGE_HEADER = struct.Struct(">7I4B32s")
UIMAGE_OS_LINUX, UIMAGE_ARCH_ARM64 = 5, 22
UIMAGE_TYPE_KERNEL, UIMAGE_TYPE_SCRIPT, UIMAGE_COMP_NONE = 2, 6, 0
ARM64_IMAGE_MAGIC, ARM64_MAGIC_OFFSET = 0x644D5241, 56
FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9
PT_LOAD = 1


class CheckFailed(Exception):
    pass


def need(cond, why):
    if not cond:
        raise CheckFailed(why)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise CheckFailed("cannot read %s: %s" % (path, e.strerror))


def uimage(blob, what):
    """The legacy header's fields and the data, after checking magic and both CRCs."""
    need(len(blob) >= UIMAGE_HEADER.size, "%s: shorter than a header" % what)
    f = UIMAGE_HEADER.unpack_from(blob)
    magic, hcrc, _time, size, load, entry, dcrc, os_, arch, type_, comp, name = f
    need(magic == UIMAGE_MAGIC, "%s: magic 0x%x" % (what, magic))
    zeroed = blob[:4] + b"\0\0\0\0" + blob[8:UIMAGE_HEADER.size]
    need(zlib.crc32(zeroed) == hcrc, "%s: header CRC does not match" % what)
    data = blob[UIMAGE_HEADER.size:UIMAGE_HEADER.size + size]
    need(len(data) == size, "%s: data shorter than the header says" % what)
    need(zlib.crc32(data) == dcrc, "%s: data CRC does not match" % what)
    return dict(load=load, entry=entry, os=os_, arch=arch, type=type_, comp=comp,
                name=name.rstrip(b"\0").decode(errors="replace"), data=data)


def fdt_parse(blob, what):
    """A flattened device tree as nested dicts: {'props': {...}, 'nodes': {...}}."""
    need(len(blob) >= 40, "%s: shorter than an FDT header" % what)
    magic, total, off_struct, off_strings, _rsv, _ver, _lc, _cpu, size_strings, size_struct = \
        struct.unpack_from(">10I", blob)
    need(magic == FDT_MAGIC, "%s: FDT magic 0x%x" % (what, magic))
    need(total == len(blob), "%s: totalsize %d, file %d bytes" % (what, total, len(blob)))
    need(off_struct + size_struct <= total and off_strings + size_strings <= total,
         "%s: blocks outside the tree" % what)
    strings = blob[off_strings:off_strings + size_strings]
    pos, stack, root = off_struct, [], None
    while True:
        need(pos + 4 <= off_struct + size_struct, "%s: structure block has no END" % what)
        (tok,) = struct.unpack_from(">I", blob, pos)
        pos += 4
        if tok == FDT_BEGIN_NODE:
            end = blob.index(b"\0", pos)
            node = {"props": {}, "nodes": {}}
            if stack:
                stack[-1]["nodes"][blob[pos:end].decode()] = node
            else:
                root = node
            stack.append(node)
            pos = (end + 4) & ~3
        elif tok == FDT_END_NODE:
            need(stack, "%s: unbalanced END_NODE" % what)
            stack.pop()
        elif tok == FDT_PROP:
            length, nameoff = struct.unpack_from(">II", blob, pos)
            pos += 8
            need(stack and nameoff < len(strings), "%s: property outside a node" % what)
            name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            stack[-1]["props"][name] = blob[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif tok == FDT_NOP:
            continue
        elif tok == FDT_END:
            need(not stack and root is not None, "%s: END inside a node" % what)
            return root
        else:
            raise CheckFailed("%s: bad token %d" % (what, tok))


def prop_str(node, name):
    return node["props"].get(name, b"").rstrip(b"\0").decode(errors="replace")


def prop_u32(node, name):
    v = node["props"].get(name)
    return struct.unpack(">I", v)[0] if v is not None and len(v) == 4 else None


def elf_first_load_paddr(blob):
    need(blob[:4] == b"\x7fELF" and blob[4] == 2, "NAME.elf is not a 64-bit ELF")
    phoff, = struct.unpack_from("<Q", blob, 32)
    phentsize, phnum = struct.unpack_from("<HH", blob, 54)
    for i in range(phnum):
        p_type, _flags, _off, _vaddr, paddr = struct.unpack_from("<IIQQQ", blob, phoff + i * phentsize)
        if p_type == PT_LOAD:
            return paddr
    raise CheckFailed("NAME.elf has no PT_LOAD segment")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--platform", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--dtb", required=True)
    ap.add_argument("--load-addr", required=True, type=lambda s: int(s, 0))
    ap.add_argument("--name", default="demo")
    a = ap.parse_args()
    path = lambda f: os.path.join(a.images, f)
    load = a.load_addr

    def check_uimage():
        u = uimage(read(path(a.name + ".uImage")), a.name + ".uImage")
        need((u["os"], u["arch"], u["type"], u["comp"]) ==
             (UIMAGE_OS_LINUX, UIMAGE_ARCH_ARM64, UIMAGE_TYPE_KERNEL, UIMAGE_COMP_NONE),
             "os/arch/type/comp %d/%d/%d/%d, wanted linux/arm64/kernel/none" %
             (u["os"], u["arch"], u["type"], u["comp"]))
        need(u["load"] == load and u["entry"] == load,
             "load 0x%x entry 0x%x, wanted 0x%x" % (u["load"], u["entry"], load))
        need(u["data"] == read(path(a.name + ".bin")), "payload differs from %s.bin" % a.name)
        listing = subprocess.run(["mkimage", "-l", path(a.name + ".uImage")],
                                 capture_output=True, text=True)
        need(listing.returncode == 0 and
             ("load address: %08x" % load) in listing.stdout.lower(),
             "mkimage -l disagrees: %r" % listing.stdout.strip()[-200:])

    def check_fit():
        fit = fdt_parse(read(path(a.name + ".itb")), a.name + ".itb")
        confs = fit["nodes"].get("configurations")
        need(confs is not None, "no /configurations")
        default = prop_str(confs, "default")
        conf = confs["nodes"].get(default)
        need(conf is not None, "default configuration %r does not exist" % default)
        images = fit["nodes"].get("images", {"nodes": {}})["nodes"]
        kname, fname = prop_str(conf, "kernel"), prop_str(conf, "fdt")
        need(kname in images and fname in images, "configuration names %r and %r, images has %s"
             % (kname, fname, sorted(images)))
        k, f = images[kname], images[fname]
        need((prop_str(k, "type"), prop_str(k, "arch"), prop_str(k, "compression")) ==
             ("kernel", "arm64", "none"), "kernel image is not an uncompressed arm64 kernel")
        need(prop_u32(k, "load") == load and prop_u32(k, "entry") == load,
             "kernel load/entry %s/%s, wanted 0x%x" % (prop_u32(k, "load"), prop_u32(k, "entry"), load))
        need(k["props"].get("data") == read(path(a.name + ".bin")),
             "kernel data differs from %s.bin" % a.name)
        need(prop_str(f, "type") == "flat_dt", "fdt image type %r" % prop_str(f, "type"))
        dtb = f["props"].get("data", b"")
        need(dtb == read(a.dtb), "the FIT's device tree differs from %s" % a.dtb)
        board = fdt_parse(dtb, "the FIT's device tree")
        need(any(n.startswith("memory") and v["props"].get("reg") for n, v in board["nodes"].items()),
             "the FIT's device tree has no memory node with a reg")
        for node, what in ((k, kname), (f, fname)):
            h = node["nodes"].get("hash-1")
            need(h is not None and prop_str(h, "algo") == "sha256", "%s has no sha256 hash" % what)
            need(h["props"].get("value") == hashlib.sha256(node["props"]["data"]).digest(),
                 "%s: sha256 does not match its data" % what)
        listing = subprocess.run(["dumpimage", "-l", path(a.name + ".itb")],
                                 capture_output=True, text=True)
        need(listing.returncode == 0 and "Flat Device Tree" in listing.stdout,
             "dumpimage -l does not list a device tree")

    def check_load_address():
        b = read(path(a.name + ".bin"))
        need(len(b) >= 64 and struct.unpack_from("<I", b, ARM64_MAGIC_OFFSET)[0] == ARM64_IMAGE_MAGIC,
             "%s.bin has no arm64 Image header" % a.name)
        text_offset, image_size = struct.unpack_from("<QQ", b, 8)
        need(image_size >= len(b), "image_size %d below the file's %d bytes" % (image_size, len(b)))
        paddr = elf_first_load_paddr(read(path(a.name + ".elf")))
        need(paddr == load, "the loader is linked at 0x%x, the images load at 0x%x" % (paddr, load))
        need(load % (2 << 20) == text_offset % (2 << 20),
             "booti would put it at a 2 MiB boundary + 0x%x, not at 0x%x" % (text_offset, load))

    def check_boot_script():
        u = uimage(read(path("boot.scr")), "boot.scr")
        need(u["type"] == UIMAGE_TYPE_SCRIPT, "type %d, wanted script" % u["type"])
        data = u["data"]
        need(len(data) >= 8, "no script length table")
        length, end = struct.unpack_from(">II", data)
        need(end == 0 and 8 + length <= len(data), "bad script length table")
        body = data[8:8 + length].decode(errors="replace")
        for word in ("kairos.itb", "bootm", "load "):
            need(word in body, "the script has no %r" % word)

    failed = 0
    for case, fn in (("uimage", check_uimage), ("fit", check_fit),
                     ("load-address", check_load_address), ("boot-script", check_boot_script)):
        try:
            fn()
            print("PASS images/%s/%s" % (a.platform, case))
        except CheckFailed as e:
            print("FAIL images/%s/%s: %s" % (a.platform, case, e))
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
