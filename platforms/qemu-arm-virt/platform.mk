# qemu-arm-virt build settings: CPU choices, GIC version and how QEMU runs it.
PLAT_CPUS := cortex-a53 cortex-a57 cortex-a72
CPU ?= cortex-a57
# Which interrupt controller the kernel drives: 2 or 3 (QEMU's gic-version).
GIC_VERSION ?= 2
# Drivers (drivers/<kind>/<name>.c): the console UART and the interrupt controller.
UART_DRIVER := pl011
IRQ_DRIVER := gicv$(GIC_VERSION)
# Semihosting lets the kernel end QEMU with an exit status (tests, benchmarks).
SEMIHOSTING ?= 1
QEMU_MEM ?= 2G
# Where the loader puts the kernel: the start of RAM (the kernel is linked at PPTR_BASE plus
# this).
KERNEL_PADDR := 0x40000000
# The loader's link address: 64 MiB into RAM, leaving room below for the kernel, the DTB
# and the root task it unpacks there (text_offset of its arm64 Image header).
LOADER_PADDR := 0x44000000
LOADER_TEXT_OFFSET := 0x04000000
# QEMU_EL2=1 starts the CPU at EL2 (virtualization=on); the loader drops to EL1.
QEMU_EL2 ?= 0
QEMU := qemu-system-aarch64
comma := ,
QEMU_MACHINE := virt,gic-version=$(GIC_VERSION)$(if $(filter 1,$(QEMU_EL2)),$(comma)virtualization=on)
QEMU_FLAGS := -machine $(QEMU_MACHINE) -cpu $(CPU) -m $(QEMU_MEM) -nographic -no-reboot \
	-semihosting-config enable=on,target=native
# U-Boot (tools/uboot/uboot.mk): bootm copies the image to the loader's link address and
# enters it there.
UBOOT_LOAD_ADDR := $(LOADER_PADDR)
# Under QEMU: Debian's U-Boot build for this machine, where the tests have QEMU put an image
# and U-Boot's boot script (its scriptaddr), and the flash bank its environment lives in.
UBOOT_QEMU_BIOS := /usr/lib/u-boot/qemu_arm64/u-boot.bin
UBOOT_QEMU_IMAGE_ADDR := 0x41000000
UBOOT_QEMU_SCRIPT_ADDR := 0x40200000
UBOOT_QEMU_ENV_FLASH := if=pflash,format=raw,index=1
UBOOT_QEMU_FLASH_BYTES := 67108864
UBOOT_QEMU_ENV_BYTES := 0x40000
# Variants the system suite also boots (NAME:VAR=value+VAR=value, each its own build): GICv3,
# the other CPUs, a release kernel (printing and exiting, to report), a 13-bit root CNode, entry at EL2 (with either GIC), a
# kernel without the IPC fastpath.
TEST_VARIANTS := gicv3:GIC_VERSION=3 a53:CPU=cortex-a53 a72:CPU=cortex-a72 release:DEBUG=0+PRINTING=1+EXIT_CALLS=1 \
    cnode13:ROOT_CNODE_BITS=13 el2:QEMU_EL2=1 el2-gicv3:QEMU_EL2=1+GIC_VERSION=3 \
    nofastpath:FASTPATH=0
