# tools/uboot/uboot.mk — U-Boot images (docs/boards.md), included by the top-level Makefile.
# For every image NAME: NAME.uImage (mkimage -T kernel) and NAME.itb (a FIT with the board's
# DTB and one configuration), plus boot.scr, the board's boot script. Under QEMU the tests
# boot them through U-Boot: NAME.uimage.qemu and NAME.fit.qemu hold the QEMU arguments that
# replace `-kernel` (tools/run-system-tests.py), with an environment that runs a script at
# once instead of waiting at the prompt.
# Uses IMAGES, BUILD, DTB, PLAT, Q and the platform's UBOOT_* settings.

UBOOT_DIR = $(BUILD)/uboot

$(IMAGES)/%.uImage: $(IMAGES)/%.bin
	@echo "  UIMAGE  $@"
	$(Q)mkimage -q -A arm64 -O linux -T kernel -C none -a $(UBOOT_LOAD_ADDR) \
	    -e $(UBOOT_LOAD_ADDR) -n "Kairos $*" -d $< $@ >/dev/null

$(IMAGES)/%.its: $(IMAGES)/%.bin $(DTB) tools/uboot/fit-its.sh
	$(Q)sh tools/uboot/fit-its.sh $* $< $(DTB) $(UBOOT_LOAD_ADDR) > $@

$(IMAGES)/%.itb: $(IMAGES)/%.its
	@echo "  FIT     $@"
	$(Q)mkimage -q -f $< $@ >/dev/null

$(IMAGES)/boot.scr: platforms/$(PLAT)/boot.cmd
	@echo "  SCRIPT  $@"
	@mkdir -p $(@D)
	$(Q)mkimage -q -A arm64 -O linux -T script -C none -n "Kairos boot script" -d $< $@ >/dev/null

# QEMU only: an environment that sources the script at UBOOT_QEMU_SCRIPT_ADDR at once, in a
# flash bank of its own; one boot script per image kind, for an image QEMU has put at
# UBOOT_QEMU_IMAGE_ADDR. The uImage needs an explicit DTB: U-Boot's own (QEMU's).
$(UBOOT_DIR)/flash1.img: Makefile tools/uboot/uboot.mk
	@mkdir -p $(@D)
	$(Q)printf 'bootdelay=0\nbootcmd=source $(UBOOT_QEMU_SCRIPT_ADDR)\n' > $(UBOOT_DIR)/env.txt
	$(Q)mkenvimage -s $(UBOOT_QEMU_ENV_BYTES) -o $(UBOOT_DIR)/env.bin $(UBOOT_DIR)/env.txt
	$(Q)truncate -s 0 $@ && cat $(UBOOT_DIR)/env.bin > $@ && truncate -s $(UBOOT_QEMU_FLASH_BYTES) $@
$(UBOOT_DIR)/uimage.scr: Makefile tools/uboot/uboot.mk
	@mkdir -p $(@D)
	$(Q)printf 'bootm $(UBOOT_QEMU_IMAGE_ADDR) - $${fdtcontroladdr}\n' > $(UBOOT_DIR)/uimage.cmd
	$(Q)mkimage -q -A arm64 -O linux -T script -C none -d $(UBOOT_DIR)/uimage.cmd $@ >/dev/null
$(UBOOT_DIR)/fit.scr: Makefile tools/uboot/uboot.mk
	@mkdir -p $(@D)
	$(Q)printf 'bootm $(UBOOT_QEMU_IMAGE_ADDR)#conf-1\n' > $(UBOOT_DIR)/fit.cmd
	$(Q)mkimage -q -A arm64 -O linux -T script -C none -d $(UBOOT_DIR)/fit.cmd $@ >/dev/null

define uboot_qemu_args
	$(Q)echo "-bios $(UBOOT_QEMU_BIOS) -drive $(UBOOT_QEMU_ENV_FLASH),file=$(abspath $(2))" \
	    "-device loader,file=$(abspath $(1)),addr=$(UBOOT_QEMU_IMAGE_ADDR),force-raw=on" \
	    "-device loader,file=$(abspath $(3)),addr=$(UBOOT_QEMU_SCRIPT_ADDR),force-raw=on" > $@
endef
$(IMAGES)/%.uimage.qemu: $(IMAGES)/%.uImage $(UBOOT_DIR)/flash1.img $(UBOOT_DIR)/uimage.scr
	$(call uboot_qemu_args,$<,$(UBOOT_DIR)/flash1.img,$(UBOOT_DIR)/uimage.scr)
$(IMAGES)/%.fit.qemu: $(IMAGES)/%.itb $(UBOOT_DIR)/flash1.img $(UBOOT_DIR)/fit.scr
	$(call uboot_qemu_args,$<,$(UBOOT_DIR)/flash1.img,$(UBOOT_DIR)/fit.scr)

# QEMU, booted the way a board boots (docs/boards.md, "On a board"): a disk with one FAT
# partition holding boot.scr and NAME.itb as kairos.itb, which U-Boot's distro boot finds
# on its own. The disk is built without root or loop devices: the FAT file system is made
# in a file of its own with mkfs.vfat and filled with mcopy, then written into a file that
# sfdisk has given an MBR. Scratch files are named after the target, so two disks (or the
# disk and its environment) can be built at once under make -j.
# 32 MiB: a FIT is a few MiB. The file system is FAT16 (MBR type 0x0e), as FAT32 needs at
# least 65525 clusters, more than this holds; U-Boot reads both. The partition starts at
# 1 MiB (sector 2048), where partitioning tools put it on an SD card, and is marked
# bootable: distro boot scans the bootable partitions (`part list -bootable`), and only
# when there are none falls back to partition 1.
UBOOT_DISK_BYTES ?= 33554432
UBOOT_DISK_PART_START ?= 2048
# A fixed volume serial number and MBR disk identifier (otherwise random); with mkfs.vfat
# --invariant (no time stamps of its own) and mcopy -m (the files keep their times), two
# builds of the same files give the same disk.
UBOOT_DISK_ID ?= 4b41524f
# How QEMU attaches the disk: virtio-blk on PCI, which distro boot's virtio0 target finds
# after `pci enum` and `virtio scan` (Debian's qemu_arm64 boot_targets are qfw usb0 scsi0
# virtio0 nvme0 dhcp).
UBOOT_QEMU_DISK_DEVICE ?= virtio-blk-pci
# mkfs.vfat and sfdisk live in /usr/sbin, which is not on a Debian user's PATH.
UBOOT_SBIN_PATH = PATH="$$PATH:/usr/sbin:/sbin"

$(UBOOT_DIR)/%.disk.img: $(IMAGES)/%.itb $(IMAGES)/boot.scr Makefile tools/uboot/uboot.mk
	@echo "  DISK    $@"
	@mkdir -p $(@D)
	$(Q)rm -f $@.part $@.tmp
	$(Q)sectors=$$(( $(UBOOT_DISK_BYTES) / 512 - $(UBOOT_DISK_PART_START) )) && \
	    truncate -s $$(( sectors * 512 )) $@.part && \
	    $(UBOOT_SBIN_PATH) mkfs.vfat --invariant -F 16 -h $(UBOOT_DISK_PART_START) \
	        -i $(UBOOT_DISK_ID) -n KAIROS $@.part >/dev/null && \
	    mcopy -m -i $@.part $(IMAGES)/boot.scr ::boot.scr && \
	    mcopy -m -i $@.part $< ::kairos.itb && \
	    truncate -s $(UBOOT_DISK_BYTES) $@.tmp && \
	    printf 'label: dos\nlabel-id: 0x%s\nstart=%s, size=%s, type=e, bootable\n' \
	        $(UBOOT_DISK_ID) $(UBOOT_DISK_PART_START) $$sectors | \
	        $(UBOOT_SBIN_PATH) sfdisk -q $@.tmp && \
	    dd if=$@.part of=$@.tmp bs=512 seek=$(UBOOT_DISK_PART_START) conv=notrunc status=none
	$(Q)rm -f $@.part && mv $@.tmp $@

# The environment for a disk boot. U-Boot takes a valid environment in flash instead of its
# built-in one, not on top of it: an environment holding only bootdelay=0 (or also
# bootcmd=run distro_bootcmd) leaves no distro_bootcmd, boot_targets or kernel_addr_r, and
# U-Boot stops at its prompt. So bootcmd first puts the built-in environment back (whose own
# bootcmd is `run distro_bootcmd`) and then runs the stock distro boot, unchanged. Only
# bootdelay=0 (the built-in one is 2 s), which U-Boot reads before it runs bootcmd, comes
# from here. `env default -a` also drops the two variables U-Boot set at start-up, its
# device tree's address (which a script may hand to bootm, as the uImage one does) and the
# MAC address (distro boot's dhcp target): shell variables, which the reset leaves alone,
# carry them over.
# (`=`, not `:=`: the $$ must last until the recipe, where it becomes U-Boot's $.)
UBOOT_DISTRO_BOOTCMD = kairos_fdt=$${fdtcontroladdr}; kairos_mac=$${ethaddr}; env default -a;
UBOOT_DISTRO_BOOTCMD += setenv fdtcontroladdr $${kairos_fdt}; setenv ethaddr $${kairos_mac};
UBOOT_DISTRO_BOOTCMD += run distro_bootcmd
$(UBOOT_DIR)/flash1-distro.img: Makefile tools/uboot/uboot.mk
	@mkdir -p $(@D)
	$(Q)printf 'bootdelay=0\nbootcmd=%s\n' '$(UBOOT_DISTRO_BOOTCMD)' > $@.txt
	$(Q)mkenvimage -s $(UBOOT_QEMU_ENV_BYTES) -o $@.env $@.txt
	$(Q)truncate -s 0 $@.tmp && cat $@.env > $@.tmp && \
	    truncate -s $(UBOOT_QEMU_FLASH_BYTES) $@.tmp && mv $@.tmp $@

# The disk and the flash are read-only to QEMU: U-Boot only reads them, so a boot cannot
# change them, and two QEMUs can boot them at once (QEMU locks a writable image for the
# first one).
$(IMAGES)/%.disk.qemu: $(UBOOT_DIR)/%.disk.img $(UBOOT_DIR)/flash1-distro.img
	$(Q)echo "-bios $(UBOOT_QEMU_BIOS)" \
	    "-drive $(UBOOT_QEMU_ENV_FLASH),readonly=on,file=$(abspath $(UBOOT_DIR)/flash1-distro.img)" \
	    "-drive if=none,id=kairos-disk,format=raw,readonly=on,file=$(abspath $<)" \
	    "-device $(UBOOT_QEMU_DISK_DEVICE),drive=kairos-disk" > $@
