# rpi4: the Raspberry Pi 4 Model B (BCM2711: four Cortex-A72, GIC-400, PL011 UART), in the
# firmware's default low-peripheral mode (peripherals at 0xfe000000). QEMU 7.2 has no model
# of it: `make PLAT=rpi4 images` builds what goes on the SD card, and `make test` checks
# those images; the nearest configuration QEMU runs is qemu-arm-virt with CPU=cortex-a72
# (GICv2, PL011), which the system suite boots as its a72 variant.
PLAT_CPUS := cortex-a72
CPU ?= cortex-a72
GIC_VERSION := 2
UART_DRIVER := pl011
IRQ_DRIVER := gicv2
# A board has no semihosting: the kernel ends with PSCI SYSTEM_OFF.
SEMIHOSTING ?= 0
DTS := platforms/rpi4/rpi4.dts
# RAM starts at 0, where the firmware's armstub and spin tables sit: the kernel goes 2 MiB
# in and the loader 64 MiB in (the text_offset of its arm64 Image header).
KERNEL_PADDR := 0x00200000
LOADER_PADDR := 0x04000000
LOADER_TEXT_OFFSET := 0x04000000
QEMU := qemu-system-aarch64
# No QEMU_MACHINE: QEMU cannot run this board. `make PLAT=rpi4 run` and its system suite
# boot the nearest configuration QEMU can: the same CPU, GIC and UART on virt.
QEMU_NEAREST_PLAT := qemu-arm-virt
QEMU_NEAREST_VARS := CPU=cortex-a72 GIC_VERSION=2
# U-Boot (rpi_4 build): bootm copies the image to the loader's link address.
UBOOT_LOAD_ADDR := $(LOADER_PADDR)
