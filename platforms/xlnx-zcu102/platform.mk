# xlnx-zcu102: the Xilinx ZCU102 board (Zynq UltraScale+ MPSoC: Cortex-A53, GIC-400, Cadence
# UART), and QEMU's model of it (xlnx-zcu102 machine).
PLAT_CPUS := cortex-a53
CPU ?= cortex-a53
# GIC-400 is a GICv2.
GIC_VERSION := 2
UART_DRIVER := cadence
IRQ_DRIVER := gicv2
SEMIHOSTING ?= 1
# The board's device tree (QEMU builds none for this machine): RAM as QEMU_MEM gives it.
DTS := platforms/xlnx-zcu102/xlnx-zcu102.dts
QEMU_MEM := 2G
# RAM starts at 0. The kernel goes 2 MiB in, clear of the vectors and spin tables firmware
# may keep at the bottom; the loader 64 MiB in (the text_offset of its arm64 Image header).
KERNEL_PADDR := 0x00200000
LOADER_PADDR := 0x04000000
LOADER_TEXT_OFFSET := 0x04000000
# The board's DisplayPort has audio: without a driver QEMU probes ALSA and prints errors,
# and -audiodev alone draws a deprecation warning from that device.
QEMU := env QEMU_AUDIO_DRV=none qemu-system-aarch64
QEMU_MACHINE := xlnx-zcu102
# The console is the first Cadence UART; -display none keeps the board's display away.
QEMU_FLAGS := -machine $(QEMU_MACHINE) -m $(QEMU_MEM) -display none -serial stdio \
	-monitor none -no-reboot -semihosting-config enable=on,target=native
# U-Boot: bootm copies the image to the loader's link address and enters it there. QEMU
# has no U-Boot build for this machine, so its U-Boot runs are the board's own.
UBOOT_LOAD_ADDR := $(LOADER_PADDR)
