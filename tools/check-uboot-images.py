#!/usr/bin/env python3
"""Checks the U-Boot images `make images` made for one platform, whether QEMU runs it or not.

Reads NAME.bin, NAME.elf, NAME.uImage, NAME.itb and boot.scr in --images (docs/boards.md,
tools/uboot/uboot.mk) and checks them as U-Boot's bootm would see them, without booting:
the legacy headers and their CRCs, the FIT's configuration, images and hashes, the board's
device tree (--dtb) in the FIT, and that --load-addr, where bootm copies the image, is where
the loader is linked. The headers and the FIT are parsed here, and also listed by mkimage
and dumpimage (u-boot-tools), so a mistake in one reader cannot hide a bad image.
Prints 'PASS images/<platform>/<case>' or 'FAIL images/<platform>/<case>: why' for each
case; the exit status is 1 if any failed.
"""
import argparse
import hashlib
import os
import re
import struct
import subprocess
import sys
import zlib

# Legacy image header (U-Boot include/image.h): 7 big-endian words, 4 bytes, the name.
UIMAGE_HEADER = struct.Struct(">7I4B32s")
UIMAGE_MAGIC = 0x27051956
IH_OS_LINUX, IH_ARCH_ARM64 = 5, 22
IH_TYPE_KERNEL, IH_TYPE_SCRIPT, IH_COMP_NONE = 2, 6, 0

# arm64 Image header (Linux Documentation/arch/arm64/booting.rst).
ARM64_MAGIC, ARM64_MAGIC_AT, ARM64_HEADER_BYTES = 0x644D5241, 56, 64
ARM64_FLAG_BE = 1 << 0

FDT_MAGIC, FDT_HEADER = 0xD00DFEED, struct.Struct(">10I")
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9

ELF_HEADER = struct.Struct("<16sHHIQQQIHHHHHH")
ELF_PHDR = struct.Struct("<IIQQQQQQ")
EM_AARCH64, PT_LOAD = 183, 1

# The names tools/uboot/fit-its.sh writes, which docs/boards.md and the QEMU boot script
# (`bootm ADDR#conf-1`) rely on.
FIT_CONF, FIT_KERNEL, FIT_FDT = "conf-1", "kernel-1", "fdt-1"
FIT_HASHES = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384,
              "sha512": hashlib.sha512, "md5": hashlib.md5,
              "crc32": lambda d: HashOf(struct.pack(">I", zlib.crc32(d)))}

TOOL_TIMEOUT = 60


class HashOf:
    """crc32 as a hashlib-like object, so every FIT hash algorithm is checked the same way."""

    def __init__(self, digest):
        self._digest = digest

    def digest(self):
        return self._digest


class Fatal(Exception):
    """A case cannot go on (a missing file, a header that does not parse)."""


class Case:
    """Collects every problem a case finds, so one FAIL line says all that is wrong."""

    def __init__(self):
        self.problems = []

    def expect(self, ok, why):
        if not ok:
            self.problems.append(why)
        return ok

    def need(self, ok, why):
        if not ok:
            raise Fatal(why)


class Files:
    """Reads each input once; a missing one fails only the cases that need it, by name."""

    def __init__(self, images, name, dtb):
        self.images, self.name, self.dtb_path = images, name, dtb
        self._cache = {}

    def path(self, leaf):
        return os.path.join(self.images, leaf)

    def read(self, path):
        if path not in self._cache:
            try:
                with open(path, "rb") as f:
                    self._cache[path] = f.read()
            except FileNotFoundError:
                self._cache[path] = Fatal("missing file %s" % path)
            except OSError as e:
                self._cache[path] = Fatal("cannot read %s: %s" % (path, e.strerror))
        got = self._cache[path]
        if isinstance(got, Fatal):
            raise got
        return got

    def image(self, ext):
        return self.read(self.path(self.name + ext))

    def dtb(self):
        return self.read(self.dtb_path)


# --- legacy U-Boot images -------------------------------------------------------------------

def parse_uimage(blob, what):
    """The header's fields and the data it covers, or Fatal if there is no header at all."""
    if len(blob) < UIMAGE_HEADER.size:
        raise Fatal("%s is %d bytes, shorter than a legacy header" % (what, len(blob)))
    (magic, hcrc, _time, size, load, entry, dcrc,
     os_, arch, type_, comp, name) = UIMAGE_HEADER.unpack_from(blob)
    if magic != UIMAGE_MAGIC:
        raise Fatal("%s: magic 0x%08x, not a legacy image (0x%08x)" % (what, magic, UIMAGE_MAGIC))
    return dict(hcrc=hcrc, size=size, load=load, entry=entry, dcrc=dcrc, os=os_, arch=arch,
                type=type_, comp=comp, name=name.split(b"\0")[0].decode(errors="replace"),
                data=blob[UIMAGE_HEADER.size:UIMAGE_HEADER.size + size],
                trailing=len(blob) - UIMAGE_HEADER.size - size)


def check_uimage_crcs(c, blob, u, what):
    # U-Boot computes the header CRC with the CRC field itself zeroed.
    zeroed = blob[:4] + bytes(4) + blob[8:UIMAGE_HEADER.size]
    got = zlib.crc32(zeroed)
    c.expect(got == u["hcrc"], "%s: header CRC 0x%08x, the header says 0x%08x"
             % (what, got, u["hcrc"]))
    if c.expect(u["trailing"] >= 0, "%s: the header says %d data bytes, the file has %d"
                % (what, u["size"], len(u["data"]))):
        got = zlib.crc32(u["data"])
        c.expect(got == u["dcrc"], "%s: data CRC 0x%08x, the header says 0x%08x"
                 % (what, got, u["dcrc"]))


def run_tool(argv):
    """A u-boot-tools listing as text; Fatal when the tool is absent, fails or hangs."""
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           errors="replace", timeout=TOOL_TIMEOUT,
                           env=dict(os.environ, LC_ALL="C"))
    except FileNotFoundError:
        raise Fatal("%s is not installed (u-boot-tools)" % argv[0])
    except subprocess.TimeoutExpired:
        raise Fatal("%s did not finish in %d s" % (" ".join(argv), TOOL_TIMEOUT))
    out = (p.stdout + p.stderr).strip()
    if p.returncode < 0:
        raise Fatal("%s was killed by signal %d" % (" ".join(argv), -p.returncode))
    if p.returncode != 0:
        raise Fatal("%s exited %d: %r" % (" ".join(argv), p.returncode, out[-300:]))
    return p.stdout


def listing_fields(lines):
    """'Key:   value' lines as a dict; mkimage and dumpimage pad keys with spaces."""
    fields = {}
    for line in lines:
        m = re.match(r"\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*$", line)
        if m:
            fields.setdefault(m.group(1), m.group(2))
    return fields


def listed_int(fields, key, base):
    try:
        return int(fields[key].split()[0], base)
    except (KeyError, IndexError, ValueError):
        return None


def case_uimage_list(c, f, load):
    path = f.path(f.name + ".uImage")
    f.read(path)
    text = run_tool(["mkimage", "-l", path])
    fields = listing_fields(text.splitlines())
    # mkimage -l tries every image type it knows: a legacy image it rejects (a bad CRC, a
    # size that is not the file's) comes out as some other type's listing, or none.
    c.need("Image Type" in fields, "mkimage -l does not take it for a legacy image; it printed %r"
           % text.strip()[:200])
    kind = fields["Image Type"]
    c.expect(kind == "AArch64 Linux Kernel Image (uncompressed)",
             "mkimage -l says the image type is %r" % kind)
    size, bin_size = listed_int(fields, "Data Size", 10), len(f.image(".bin"))
    c.expect(size == bin_size, "mkimage -l says %s data bytes, %s.bin has %d"
             % (size, f.name, bin_size))
    for key in ("Load Address", "Entry Point"):
        got = listed_int(fields, key, 16)
        c.expect(got == load, "mkimage -l says %s %s, wanted 0x%x"
                 % (key.lower(), fields.get(key), load))


def case_uimage_header(c, f, load):
    what = f.name + ".uImage"
    blob = f.image(".uImage")
    u = parse_uimage(blob, what)
    check_uimage_crcs(c, blob, u, what)
    want = (IH_OS_LINUX, IH_ARCH_ARM64, IH_TYPE_KERNEL, IH_COMP_NONE)
    got = (u["os"], u["arch"], u["type"], u["comp"])
    c.expect(got == want, "os/arch/type/comp %d/%d/%d/%d, "
             "wanted linux/arm64/kernel/none (%d/%d/%d/%d)" % (got + want))
    c.expect(u["load"] == load, "load address 0x%x, wanted 0x%x" % (u["load"], load))
    c.expect(u["entry"] == load, "entry point 0x%x, wanted 0x%x" % (u["entry"], load))


def first_difference(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def same_bytes(c, got, want, what, of):
    if got == want:
        return True
    if len(got) != len(want):
        return c.expect(False, "%s is %d bytes, %s %d" % (what, len(got), of, len(want)))
    return c.expect(False, "%s differs from %s at byte 0x%x"
                    % (what, of, first_difference(got, want)))


def case_uimage_payload(c, f, load):
    u = parse_uimage(f.image(".uImage"), f.name + ".uImage")
    c.expect(u["trailing"] <= 0, "%d bytes follow the data the header covers" % u["trailing"])
    same_bytes(c, u["data"], f.image(".bin"), "the payload", f.name + ".bin")


# --- flattened device trees (the FIT and the board's DTB) --------------------------------------

class Node:
    def __init__(self, name):
        self.name, self.props, self.children = name, {}, {}

    def child(self, name):
        return self.children.get(name)

    def string(self, prop):
        v = self.props.get(prop)
        return None if v is None else v.split(b"\0")[0].decode(errors="replace")

    def number(self, prop):
        # One or two cells: a FIT's load and entry take the root's #address-cells.
        v = self.props.get(prop)
        if v is None or len(v) not in (4, 8):
            return None
        return int.from_bytes(v, "big")

    def cells(self, prop, default):
        n = self.number(prop)
        return default if n is None else n


def parse_fdt(blob, what, exact=True):
    """The tree's root Node. Every offset is bounded, so a damaged blob is Fatal, not a crash.

    exact=False lets a FIT carry external data after the tree (mkimage -E)."""
    if len(blob) < FDT_HEADER.size:
        raise Fatal("%s is %d bytes, shorter than an FDT header" % (what, len(blob)))
    (magic, total, off_struct, off_strings, _off_rsv, version, last_comp, _cpu,
     size_strings, size_struct) = FDT_HEADER.unpack_from(blob)
    if magic != FDT_MAGIC:
        raise Fatal("%s: FDT magic 0x%08x, wanted 0x%08x" % (what, magic, FDT_MAGIC))
    if (total != len(blob)) if exact else (total > len(blob)):
        raise Fatal("%s: totalsize %d, but it is %d bytes" % (what, total, len(blob)))
    if version < 16 or last_comp > 17:
        raise Fatal("%s: FDT version %d (last compatible %d), wanted 16 or 17"
                    % (what, version, last_comp))
    # size_dt_struct is only in version 17 headers; before that the block runs to the end.
    struct_end = off_struct + size_struct if version >= 17 else total
    if not (FDT_HEADER.size <= off_struct <= struct_end <= total
            and off_strings + size_strings <= total):
        raise Fatal("%s: its blocks lie outside its %d bytes" % (what, total))
    strings = blob[off_strings:off_strings + size_strings]

    def bad(why):
        return Fatal("%s: %s at structure offset 0x%x" % (what, why, pos - off_struct))

    def cstring(buf, start, end):
        stop = buf.find(b"\0", start, end)
        if stop < 0:
            raise bad("unterminated name")
        return buf[start:stop].decode(errors="replace"), stop

    pos, stack, root = off_struct, [], None
    while True:
        if pos + 4 > struct_end:
            raise bad("no FDT_END token")
        (token,) = struct.unpack_from(">I", blob, pos)
        pos += 4
        if token == FDT_BEGIN_NODE:
            name, stop = cstring(blob, pos, struct_end)
            if root is not None and not stack:
                raise bad("a second root node")
            node = Node(name)
            if stack:
                if name in stack[-1].children:
                    raise bad("two nodes named %r" % name)
                stack[-1].children[name] = node
            elif name:
                raise bad("root node named %r" % name)
            else:
                root = node
            stack.append(node)
            pos = (stop + 4) & ~3
        elif token == FDT_END_NODE:
            if not stack:
                raise bad("FDT_END_NODE outside any node")
            stack.pop()
        elif token == FDT_PROP:
            if pos + 8 > struct_end:
                raise bad("truncated property")
            length, nameoff = struct.unpack_from(">II", blob, pos)
            pos += 8
            if not stack:
                raise bad("property outside any node")
            if pos + length > struct_end:
                raise bad("property runs past the structure block")
            if nameoff >= len(strings):
                raise bad("property name outside the strings block")
            name, _ = cstring(strings, nameoff, len(strings))
            if name in stack[-1].props:
                raise bad("two properties named %r" % name)
            stack[-1].props[name] = blob[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif token == FDT_NOP:
            pass
        elif token == FDT_END:
            if stack or root is None:
                raise bad("FDT_END inside a node")
            return root
        else:
            raise bad("unknown token 0x%x" % token)


def fit_data(c, fit_blob, fit_total, node, what):
    """An image node's data: inline (`data`), or external after the tree (mkimage -E/-p)."""
    if "data" in node.props:
        return node.props["data"]
    size = node.number("data-size")
    start = node.number("data-position")
    if start is None and node.number("data-offset") is not None:
        # data-offset counts from the end of the tree, which mkimage pads to 4 bytes.
        start = ((fit_total + 3) & ~3) + node.number("data-offset")
    c.need(size is not None and start is not None, "%s has no data" % what)
    c.need(start + size <= len(fit_blob), "%s: its external data runs past the file" % what)
    return fit_blob[start:start + size]


def check_fit_hashes(c, node, data, what):
    hashes = [n for name, n in node.children.items() if name.startswith("hash")]
    first = node.child("hash-1")
    c.expect(first is not None and first.string("algo") == "sha256",
             "%s has no hash-1 node with algo sha256" % what)
    for h in hashes:
        algo = h.string("algo")
        if not c.expect(algo in FIT_HASHES,
                        "%s/%s: unknown hash algorithm %r" % (what, h.name, algo)):
            continue
        want, value = FIT_HASHES[algo](data).digest(), h.props.get("value")
        shown = "missing" if value is None else value.hex()
        c.expect(value == want, "%s/%s: %s value %s, its data hashes to %s"
                 % (what, h.name, algo, shown, want.hex()))


def load_fit(f):
    blob = f.image(".itb")
    root = parse_fdt(blob, f.name + ".itb", exact=False)
    return blob, FDT_HEADER.unpack_from(blob)[1], root


def fit_images(c, root):
    images = root.child("images")
    c.need(images is not None and images.children, "the FIT has no /images")
    return images


def case_fit_list(c, f, load):
    path = f.path(f.name + ".itb")
    f.read(path)
    text = run_tool(["dumpimage", "-l", path])
    c.need(text.startswith("FIT description:"), "dumpimage -l does not list a FIT: %r" % text[:200])
    # Split the listing into its ' Image N (name)' and ' Configuration N (name)' sections.
    sections, current, default = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^ (Image|Configuration) \d+ \((.+)\)$", line)
        if m:
            current = sections.setdefault((m.group(1), m.group(2)), [])
            continue
        m = re.match(r"^ Default Configuration: '(.*)'$", line)
        if m:
            default, current = m.group(1), None
        elif current is not None:
            current.append(line)
    info = {key: listing_fields(lines) for key, lines in sections.items()}
    c.expect(default == FIT_CONF, "dumpimage -l names default configuration %r, wanted %r"
             % (default, FIT_CONF))
    conf = info.get(("Configuration", default), {})
    c.expect(conf.get("Kernel") == FIT_KERNEL and conf.get("FDT") == FIT_FDT,
             "dumpimage -l: configuration %r has kernel %r, fdt %r"
             % (default, conf.get("Kernel"), conf.get("FDT")))
    k = info.get(("Image", FIT_KERNEL))
    if c.expect(k is not None, "dumpimage -l lists no image %s" % FIT_KERNEL):
        for key, want in (("Type", "Kernel Image"), ("Compression", "uncompressed"),
                          ("Architecture", "AArch64"), ("OS", "Linux")):
            c.expect(k.get(key) == want, "dumpimage -l: %s %s %r, wanted %r"
                     % (FIT_KERNEL, key.lower(), k.get(key), want))
        for key in ("Load Address", "Entry Point"):
            c.expect(listed_int(k, key, 16) == load, "dumpimage -l: %s %s %s, wanted 0x%x"
                     % (FIT_KERNEL, key.lower(), k.get(key), load))
        want = hashlib.sha256(f.image(".bin")).hexdigest()
        c.expect(k.get("Hash value") == want, "dumpimage -l: %s hash %s, sha256 of %s.bin is %s"
                 % (FIT_KERNEL, k.get("Hash value"), f.name, want))
    d = info.get(("Image", FIT_FDT))
    if c.expect(d is not None, "dumpimage -l lists no image %s" % FIT_FDT):
        c.expect(d.get("Type") == "Flat Device Tree",
                 "dumpimage -l: %s type %r, wanted a device tree" % (FIT_FDT, d.get("Type")))
        want = hashlib.sha256(f.dtb()).hexdigest()
        c.expect(d.get("Hash value") == want, "dumpimage -l: %s hash %s, sha256 of %s is %s"
                 % (FIT_FDT, d.get("Hash value"), f.dtb_path, want))


def case_fit_config(c, f, load):
    _, _, root = load_fit(f)
    confs = root.child("configurations")
    c.need(confs is not None, "the FIT has no /configurations")
    default = confs.string("default")
    c.need(default is not None, "/configurations has no default")
    c.expect(default == FIT_CONF, "the default configuration is %r, docs/boards.md says %r"
             % (default, FIT_CONF))
    conf = confs.child(default)
    c.need(conf is not None, "the default configuration %r does not exist (there are %s)"
           % (default, sorted(confs.children)))
    images = fit_images(c, root)
    for prop, want in (("kernel", FIT_KERNEL), ("fdt", FIT_FDT)):
        got = conf.string(prop)
        c.expect(got == want, "configuration %s names %s %r, wanted %r"
                 % (default, prop, got, want))
        c.expect(got is None or images.child(got) is not None,
                 "configuration %s names %s %r, which /images does not have" % (default, prop, got))


def case_fit_kernel(c, f, load):
    blob, total, root = load_fit(f)
    k = fit_images(c, root).child(FIT_KERNEL)
    c.need(k is not None, "the FIT has no /images/%s" % FIT_KERNEL)
    for prop, want in (("type", "kernel"), ("arch", "arm64"), ("os", "linux"),
                       ("compression", "none")):
        c.expect(k.string(prop) == want, "%s %s %r, wanted %r"
                 % (FIT_KERNEL, prop, k.string(prop), want))
    for prop in ("load", "entry"):
        got = k.number(prop)
        c.expect(got == load, "%s %s %s, wanted 0x%x"
                 % (FIT_KERNEL, prop, "missing" if got is None else "0x%x" % got, load))
    data = fit_data(c, blob, total, k, FIT_KERNEL)
    same_bytes(c, data, f.image(".bin"), "%s's data" % FIT_KERNEL, f.name + ".bin")
    check_fit_hashes(c, k, data, FIT_KERNEL)


def memory_ranges(root):
    """(base, size) of every /memory node's reg, in the root's address and size cells."""
    acells, scells = root.cells("#address-cells", 2), root.cells("#size-cells", 1)
    tuple_bytes, ranges, bad = 4 * (acells + scells), [], []
    for name, node in root.children.items():
        named = name == "memory" or name.startswith("memory@")
        if not named and node.string("device_type") != "memory":
            continue
        reg = node.props.get("reg", b"")
        if not reg or tuple_bytes == 0 or len(reg) % tuple_bytes:
            bad.append(name)
            continue
        for at in range(0, len(reg), tuple_bytes):
            base = int.from_bytes(reg[at:at + 4 * acells], "big")
            size = int.from_bytes(reg[at + 4 * acells:at + tuple_bytes], "big")
            if size:
                ranges.append((base, size))
    return ranges, bad


def case_fit_fdt(c, f, load):
    blob, total, root = load_fit(f)
    d = fit_images(c, root).child(FIT_FDT)
    c.need(d is not None, "the FIT has no /images/%s" % FIT_FDT)
    c.expect(d.string("type") == "flat_dt",
             "%s type %r, wanted 'flat_dt'" % (FIT_FDT, d.string("type")))
    c.expect(d.string("compression") in (None, "none"), "%s compression %r: U-Boot hands "
             "the tree over as it is" % (FIT_FDT, d.string("compression")))
    data = fit_data(c, blob, total, d, FIT_FDT)
    try:
        ranges, bad = memory_ranges(parse_fdt(data, "%s's device tree" % FIT_FDT))
        c.expect(ranges, "%s's device tree has no memory node with a non-empty reg%s"
                 % (FIT_FDT, " (%s has a malformed reg)" % ", ".join(bad) if bad else ""))
    except Fatal as e:
        c.expect(False, str(e))
    same_bytes(c, data, f.dtb(), "%s's data" % FIT_FDT, f.dtb_path)
    check_fit_hashes(c, d, data, FIT_FDT)


# --- where bootm puts the image ------------------------------------------------------------

def arm64_header(f):
    b = f.image(".bin")
    if len(b) < ARM64_HEADER_BYTES:
        raise Fatal("%s.bin is %d bytes, shorter than an arm64 Image header" % (f.name, len(b)))
    (magic,) = struct.unpack_from("<I", b, ARM64_MAGIC_AT)
    if magic != ARM64_MAGIC:
        raise Fatal("%s.bin: arm64 Image magic 0x%08x at %d, wanted 0x%08x"
                    % (f.name, magic, ARM64_MAGIC_AT, ARM64_MAGIC))
    text_offset, image_size, flags = struct.unpack_from("<QQQ", b, 8)
    return b, text_offset, image_size, flags


def case_arm64_header(c, f, load):
    b, text_offset, image_size, flags = arm64_header(f)
    # booti and QEMU -kernel place the image at a 2 MiB-aligned base plus text_offset: a
    # text_offset off a page boundary, or one no RAM could be that far into, is a broken header.
    c.expect(text_offset % 4096 == 0, "text_offset 0x%x is not 4 KiB aligned" % text_offset)
    c.expect(text_offset < 1 << 32, "text_offset 0x%x is implausibly large" % text_offset)
    c.expect(image_size >= len(b), "image_size %d is less than the %d bytes of %s.bin"
             % (image_size, len(b), f.name))
    c.expect(image_size < 1 << 32, "image_size 0x%x is implausibly large" % image_size)
    c.expect(not flags & ARM64_FLAG_BE, "the header's flags (0x%x) say big-endian" % flags)


def elf_loads(blob, what):
    """(entry, PT_LOAD headers in table order) of a little-endian AArch64 ELF64."""
    if len(blob) < ELF_HEADER.size:
        raise Fatal("%s is %d bytes, shorter than an ELF header" % (what, len(blob)))
    (ident, _type, machine, _version, entry, phoff, _shoff, _flags, _ehsize,
     phentsize, phnum, _shentsize, _shnum, _shstrndx) = ELF_HEADER.unpack_from(blob)
    if ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
        raise Fatal("%s is not a little-endian 64-bit ELF file" % what)
    if machine != EM_AARCH64:
        raise Fatal("%s: machine %d, not AArch64 (%d)" % (what, machine, EM_AARCH64))
    if phentsize < ELF_PHDR.size or phoff + phnum * phentsize > len(blob):
        raise Fatal("%s: its program headers lie outside the file" % what)
    loads = []
    for i in range(phnum):
        p = dict(zip(("type", "flags", "offset", "vaddr", "paddr", "filesz", "memsz", "align"),
                     ELF_PHDR.unpack_from(blob, phoff + i * phentsize)))
        if p["type"] == PT_LOAD:
            loads.append(p)
    if not loads:
        raise Fatal("%s has no PT_LOAD segment" % what)
    return entry, loads


def case_load_address(c, f, load):
    what = f.name + ".elf"
    elf = f.image(".elf")
    entry, loads = elf_loads(elf, what)
    first = loads[0]
    # bootm copies NAME.bin to the load address and jumps to the entry point; the loader runs
    # only where it is linked, so both must be its first segment's physical address.
    c.expect(first["paddr"] == load, "%s's first PT_LOAD is at paddr 0x%x, the images load at 0x%x"
             % (what, first["paddr"], load))
    c.expect(min(p["paddr"] for p in loads) == first["paddr"],
             "%s has a PT_LOAD below its first one (0x%x)" % (what, min(p["paddr"] for p in loads)))
    c.expect(entry == load, "%s's entry point 0x%x, the images enter at 0x%x" % (what, entry, load))
    # NAME.bin must be this ELF flattened, or the ELF's link address says nothing about it.
    b = f.image(".bin")
    c.need(first["offset"] + first["filesz"] <= len(elf),
           "%s's first segment runs past the file" % what)
    same_bytes(c, b[:first["filesz"]], elf[first["offset"]:first["offset"] + first["filesz"]],
               "%s.bin's start" % f.name, "%s's first segment" % what)
    try:
        _, _, image_size, _ = arm64_header(f)
    except Fatal as e:
        c.expect(False, str(e))
        return
    # The loader's bss follows the file's bytes; image_size tells booti to keep it free.
    end = max(p["paddr"] + p["memsz"] for p in loads)
    c.expect(image_size >= end - first["paddr"], "image_size 0x%x does not cover %s's 0x%x bytes "
             "in memory (bss included)" % (image_size, what, end - first["paddr"]))
    ranges, _ = memory_ranges(parse_fdt(f.dtb(), f.dtb_path))
    span = (load, load + max(image_size, end - first["paddr"]))
    c.expect(any(base <= span[0] and span[1] <= base + size for base, size in ranges),
             "0x%x-0x%x is not in %s's RAM (%s)" % (span[0], span[1], f.dtb_path,
             ", ".join("0x%x-0x%x" % (base, base + size) for base, size in ranges) or "none"))


# --- boot.scr -----------------------------------------------------------------------------------

def boot_script(f):
    blob = f.read(f.path("boot.scr"))
    return blob, parse_uimage(blob, "boot.scr")


def case_boot_script_header(c, f, load):
    blob, u = boot_script(f)
    check_uimage_crcs(c, blob, u, "boot.scr")
    c.expect(u["type"] == IH_TYPE_SCRIPT,
             "type %d, wanted script (%d)" % (u["type"], IH_TYPE_SCRIPT))
    c.expect(u["comp"] == IH_COMP_NONE, "compression %d, wanted none" % u["comp"])
    c.expect(u["arch"] == IH_ARCH_ARM64, "arch %d, wanted arm64 (%d)" % (u["arch"], IH_ARCH_ARM64))


def script_commands(body):
    """The first word of every command, with comments left out: a `# bootm` runs nothing."""
    words = []
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words.extend(cmd.split()[0] for cmd in line.split(";") if cmd.split())
    return words


def case_boot_script_body(c, f, load):
    _, u = boot_script(f)
    data = u["data"]
    # A script image is a multi-file image: u32 lengths ending in 0, then the first file.
    c.need(len(data) >= 8,
           "boot.scr's data is %d bytes, too short for its length table" % len(data))
    length, end = struct.unpack_from(">II", data)
    c.need(end == 0, "boot.scr holds more than one file (its length table is not one entry and 0)")
    c.need(8 + length <= len(data), "boot.scr's script is %d bytes, only %d follow"
           % (length, len(data) - 8))
    body = data[8:8 + length].decode(errors="replace")
    code = "\n".join(l for l in body.splitlines() if not l.strip().startswith("#"))
    commands = script_commands(body)
    c.expect("bootm" in commands, "boot.scr runs no bootm (its commands: %s)" % " ".join(commands))
    c.expect("kairos.itb" in code, "boot.scr does not name kairos.itb outside its comments")


CASES = (
    ("uimage-list", case_uimage_list),
    ("uimage-header", case_uimage_header),
    ("uimage-payload", case_uimage_payload),
    ("fit-list", case_fit_list),
    ("fit-config", case_fit_config),
    ("fit-kernel", case_fit_kernel),
    ("fit-fdt", case_fit_fdt),
    ("arm64-header", case_arm64_header),
    ("load-address", case_load_address),
    ("boot-script-header", case_boot_script_header),
    ("boot-script-body", case_boot_script_body),
)


def address(text):
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: %r" % text)
    if not 0 <= value < 1 << 32:
        # A legacy header holds 32-bit addresses.
        raise argparse.ArgumentTypeError("outside 32 bits: %r" % text)
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--platform", required=True, help="names the cases: images/PLATFORM/CASE")
    ap.add_argument("--images", required=True, metavar="DIR", help="build/PLAT/images")
    ap.add_argument("--dtb", required=True, metavar="BOARD.dtb", help="the board's device tree")
    ap.add_argument("--load-addr", required=True, type=address, help="UBOOT_LOAD_ADDR")
    ap.add_argument("--name", default="demo", help="the image: NAME.bin, NAME.uImage, ...")
    ap.add_argument("--case", action="append", metavar="CASE", choices=[n for n, _ in CASES],
                    help="run only this case (repeatable)")
    args = ap.parse_args()
    files = Files(args.images, args.name, args.dtb)
    failed = 0
    for name, run in CASES:
        if args.case and name not in args.case:
            continue
        c = Case()
        try:
            run(c, files, args.load_addr)
        except Fatal as e:
            c.problems.append(str(e))
        except Exception as e:  # a bug here must show as a FAIL line, not end the other cases
            c.problems.append("checker error: %s: %s" % (type(e).__name__, e))
        if c.problems:
            failed += 1
            print("FAIL images/%s/%s: %s" % (args.platform, name, "; ".join(c.problems)))
        else:
            print("PASS images/%s/%s" % (args.platform, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
