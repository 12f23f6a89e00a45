# raspi3b: the Raspberry Pi 3 Model B (BCM2837: four Cortex-A53, no GIC; the BCM2836 local
# interrupt controller with the BCM2835 one behind it, PL011 UART), and QEMU's model of it.
PLAT_CPUS := cortex-a53
CPU ?= cortex-a53
# No GIC: GIC_VERSION only names the GIC code paths, which stay out of this build.
GIC_VERSION := 0
UART_DRIVER := pl011
IRQ_DRIVER := bcm2836
SEMIHOSTING ?= 1
# QEMU builds no device tree for this machine; the board's firmware passes its own.
DTS := platforms/raspi3b/raspi3b.dts
# The board has 1 GiB (QEMU's raspi3b accepts nothing else); the top 64 MiB is the GPU's.
QEMU_MEM := 1G
# RAM starts at 0, where the firmware's spin tables hold the other cores: the kernel goes
# 2 MiB in and the loader 64 MiB in (the text_offset of its arm64 Image header).
KERNEL_PADDR := 0x00200000
LOADER_PADDR := 0x04000000
LOADER_TEXT_OFFSET := 0x04000000
QEMU := qemu-system-aarch64
QEMU_MACHINE := raspi3b
# An ELF starts all four cores at EL3 here; the loader parks three and drops to EL1.
QEMU_FLAGS := -machine $(QEMU_MACHINE) -m $(QEMU_MEM) -display none -serial stdio \
	-monitor none -no-reboot -semihosting-config enable=on,target=native
# U-Boot (rpi_3 build): bootm copies the image to the loader's link address.
UBOOT_LOAD_ADDR := $(LOADER_PADDR)
