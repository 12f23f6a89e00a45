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
	    -e $(UBOOT_LOAD_ADDR) -n "Kairos $*" -d $< $@

$(IMAGES)/%.its: $(IMAGES)/%.bin $(DTB) tools/uboot/fit-its.sh
	$(Q)sh tools/uboot/fit-its.sh $* $< $(DTB) $(UBOOT_LOAD_ADDR) > $@

$(IMAGES)/%.itb: $(IMAGES)/%.its
	@echo "  FIT     $@"
	$(Q)mkimage -q -f $< $@

$(IMAGES)/boot.scr: platforms/$(PLAT)/boot.cmd
	@echo "  SCRIPT  $@"
	$(Q)mkimage -q -A arm64 -O linux -T script -C none -n "Kairos boot script" -d $< $@

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
	$(Q)mkimage -q -A arm64 -O linux -T script -C none -d $(UBOOT_DIR)/uimage.cmd $@
$(UBOOT_DIR)/fit.scr: Makefile tools/uboot/uboot.mk
	@mkdir -p $(@D)
	$(Q)printf 'bootm $(UBOOT_QEMU_IMAGE_ADDR)#conf-1\n' > $(UBOOT_DIR)/fit.cmd
	$(Q)mkimage -q -A arm64 -O linux -T script -C none -d $(UBOOT_DIR)/fit.cmd $@

define uboot_qemu_args
	$(Q)echo "-bios $(UBOOT_QEMU_BIOS) -drive $(UBOOT_QEMU_ENV_FLASH),file=$(abspath $(2))" \
	    "-device loader,file=$(abspath $(1)),addr=$(UBOOT_QEMU_IMAGE_ADDR),force-raw=on" \
	    "-device loader,file=$(abspath $(3)),addr=$(UBOOT_QEMU_SCRIPT_ADDR),force-raw=on" > $@
endef
$(IMAGES)/%.uimage.qemu: $(IMAGES)/%.uImage $(UBOOT_DIR)/flash1.img $(UBOOT_DIR)/uimage.scr
	$(call uboot_qemu_args,$<,$(UBOOT_DIR)/flash1.img,$(UBOOT_DIR)/uimage.scr)
$(IMAGES)/%.fit.qemu: $(IMAGES)/%.itb $(UBOOT_DIR)/flash1.img $(UBOOT_DIR)/fit.scr
	$(call uboot_qemu_args,$<,$(UBOOT_DIR)/flash1.img,$(UBOOT_DIR)/fit.scr)
