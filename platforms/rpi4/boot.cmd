# Kairos on the Raspberry Pi 4: the firmware starts U-Boot (kernel=u-boot.bin and
# arm_64bit=1 in config.txt), whose distro boot runs this (as boot.scr) from the SD card's
# FAT partition. It loads the FIT next to it and boots its default configuration (the
# Kairos image with the board's device tree).
echo "Kairos: loading kairos.itb from ${devtype} ${devnum}:${distro_bootpart}"
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} kairos.itb
bootm ${kernel_addr_r}
