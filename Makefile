# SPDX-License-Identifier: MIT
# Keel front end: Kconfig (Kconfiglib) for configuration, Meson + Ninja for the build.
# "make help" lists the targets. Everything for one configuration lives in $(O) (default build/).

O ?= build
override O := $(patsubst %/,%,$(O))
BUILD := $(abspath $(O))
SRC := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CONFIG := $(BUILD)/.config
SHELL := /bin/bash

# Kconfiglib ships for Debian's own /usr/bin/python3; a python3 earlier on PATH (pyenv, venv)
# usually cannot import it. Use the first interpreter that can.
KPYTHON := $(shell for p in /usr/bin/python3 python3; do \
	$$p -c 'import kconfiglib' >/dev/null 2>&1 && { command -v $$p; break; }; done)
PYTHON := $(if $(KPYTHON),$(KPYTHON),python3)
need_kconfiglib = $(if $(KPYTHON),,$(error Kconfiglib not found: install it with "sudo apt-get install python3-kconfiglib"))

KCONFIG := $(PYTHON) $(SRC)/scripts/kconfig/kconfig.py
DEFCONFIGS := $(sort $(notdir $(wildcard $(SRC)/configs/*_defconfig)))
FRAGMENTS := $(sort $(notdir $(wildcard $(SRC)/configs/*.config)))

# make check filters (scripts/check.py --only/--arch/--profile/--cc/-k), e.g.
#   make check ONLY=boot ARCH=riscv64 PROFILE=hardened KCC=gcc K=ktest
# Only values given on the command line count: an ARCH or PROFILE inherited from the
# environment must not silently narrow a CI run. The compiler is KCC, not CC, since make
# always defines CC. None of them is passed on to the build (unexport).
CHECK_VARS := ONLY ARCH PROFILE KCC K
check_var = $(if $(filter command line,$(origin $(1))),$($(1)))
check_flag = $(if $(call check_var,$(1)),$(2)'$(call check_var,$(1))')
CHECK_ARGS = $(call check_flag,ONLY,--only=) $(call check_flag,ARCH,--arch=) \
	$(call check_flag,PROFILE,--profile=) $(call check_flag,KCC,--cc=) $(call check_flag,K,-k )
unexport $(CHECK_VARS)

# Run goals in the order given: "make x86_64_defconfig hardened.config all" must configure first.
.NOTPARALLEL:
.DEFAULT_GOAL := all
.PHONY: all run debug sdimage iso size check test-unit test-boot menuconfig olddefconfig \
	savedefconfig list-defconfigs help clean distclean $(DEFCONFIGS) $(FRAGMENTS)

all:
	$(need_kconfiglib)
	@$(SRC)/scripts/build.sh "$(BUILD)" "$(PYTHON)"

$(DEFCONFIGS):
	$(need_kconfiglib)
	@$(KCONFIG) defconfig $(CONFIG) $(SRC)/configs/$@

$(FRAGMENTS):
	$(need_kconfiglib)
	@test -f $(CONFIG) || { echo "error: no configuration in $(O)/ to merge $@ into;" \
		"run e.g. 'make O=$(O) $(firstword $(DEFCONFIGS)) $@'"; exit 1; }
	@$(KCONFIG) merge $(CONFIG) $(SRC)/configs/$@

menuconfig:
	$(need_kconfiglib)
	@$(SRC)/scripts/build.sh "$(BUILD)" "$(PYTHON)" --config-only
	@cd $(SRC) && KCONFIG_CONFIG=$(CONFIG) $(PYTHON) -m menuconfig Kconfig

olddefconfig:
	$(need_kconfiglib)
	@$(SRC)/scripts/build.sh "$(BUILD)" "$(PYTHON)" --config-only

savedefconfig:
	$(need_kconfiglib)
	@$(KCONFIG) savedefconfig $(CONFIG) $(BUILD)/defconfig

list-defconfigs:
	@echo "Board defconfigs (make <name>):"; for d in $(DEFCONFIGS); do echo "  $$d"; done
	@echo "Fragments to merge on top (make <defconfig> <fragment>):"; \
		for f in $(FRAGMENTS); do printf "  %-18s %s\n" $$f "$$(sed -n 's/^# Fragment: //p' $(SRC)/configs/$$f | cut -d. -f1)"; done

run: all
	@$(PYTHON) $(SRC)/scripts/qemu.py --build "$(BUILD)" --cmdline "$(CMDLINE)" \
		--accel "$(or $(ACCEL),tcg)" --boot "$(or $(BOOT),direct)" \
		$(if $(QEMU_EXTRA),--extra "$(QEMU_EXTRA)")

debug: all
	@$(PYTHON) $(SRC)/scripts/qemu.py --build "$(BUILD)" --cmdline "$(CMDLINE)" --gdb \
		--boot "$(or $(BOOT),direct)"

# Raspberry Pi 4 SD-card image: $(O)/sdcard.img (docs/rpi4.md). FIRMWARE_DIR= adds the GPU firmware.
sdimage: all
	@FIRMWARE_DIR="$(FIRMWARE_DIR)" $(SRC)/scripts/sdimage.sh "$(BUILD)" "$(CMDLINE)"

# x86-64 boot image (GRUB 2 for BIOS and UEFI, Multiboot2): $(O)/keel.iso, CD or USB stick
# (docs/x86_64.md). Booted with CMDLINE.
iso: all
	@$(SRC)/scripts/iso.sh "$(BUILD)" "$(CMDLINE)"

size: all
	@$(PYTHON) $(SRC)/scripts/size.py "$(BUILD)"

test-unit:
	@$(PYTHON) $(SRC)/scripts/check.py --only unit

test-boot:
	@$(PYTHON) $(SRC)/scripts/check.py --only boot

check:
	$(need_kconfiglib)
	@$(PYTHON) $(SRC)/scripts/check.py $(CHECK_ARGS)

clean:
	@if [ -f $(BUILD)/build.ninja ]; then ninja -C $(BUILD) -t clean >/dev/null; fi
	@rm -f $(BUILD)/keel.elf $(BUILD)/Image

distclean:
	rm -rf $(BUILD)

help:
	@echo "Keel kernel build. Outputs go to O=<dir> (default: build/)."
	@echo
	@echo "Configuration:"
	@echo "  make <board>_defconfig      start from configs/<board>_defconfig (make list-defconfigs)"
	@echo "  make <fragment>.config      merge configs/<fragment>.config into the current config"
	@echo "                              e.g. make arm64_virt_defconfig hardened.config"
	@echo "  make menuconfig             edit the configuration in a terminal menu"
	@echo "  make olddefconfig           update .config to the current Kconfig, new options at defaults"
	@echo "  make savedefconfig          write a minimal defconfig to O/defconfig"
	@echo "  make list-defconfigs        list defconfigs and fragments"
	@echo
	@echo "Build and run:"
	@echo "  make                        build O/keel.elf (+ O/Image on arm64 and riscv64)"
	@echo "                              (no config yet: uses the host architecture's defconfig)"
	@echo "  make run [CMDLINE=...]      boot in QEMU (TCG) with the console on this terminal"
	@echo "                              CMDLINE=ktest runs the in-kernel tests (configure with ktest.config),"
	@echo "                              CMDLINE=poweroff powers off"
	@echo "                              ACCEL=kvm opts in to KVM (only on real VMX/SVM hosts)"
	@echo "  make run BOOT=uboot         boot through Debian's U-Boot: boot.scr + booti from a FAT disk"
	@echo "                              (arm64/riscv64 virt; the Pi 4 on QEMU 10 raspi4b)"
	@echo "  make run BOOT=iso           x86-64: GRUB from a CD image under SeaBIOS (Multiboot2);"
	@echo "                              BOOT=iso-uefi the same under OVMF (UEFI)"
	@echo "  make debug                  start QEMU halted with a gdb stub on :1234"
	@echo "  make sdimage [FIRMWARE_DIR=...]  Raspberry Pi 4 SD-card image O/sdcard.img (docs/rpi4.md)"
	@echo "  make iso [CMDLINE=...]      x86-64 boot image O/keel.iso: GRUB for BIOS and UEFI,"
	@echo "                              for a CD or a USB stick (docs/x86_64.md)"
	@echo "  make size                   text/data/bss and lines of code compiled into the kernel"
	@echo
	@echo "Tests:"
	@echo "  make check                  everything: host unit tests, boot matrix, ktest on all arches"
	@echo "  make check ONLY=.. ARCH=.. PROFILE=.. KCC=.. K=..   a subset (docs/testing.md)"
	@echo "                              ONLY=unit|config|boot|matrix|entry|uboot|numa|menuconfig,"
	@echo "                              ARCH=x86_64|arm64|riscv64|arm64_virt|riscv64_virt|arm64_rpi4,"
	@echo "                              PROFILE=dev|standard|hardened, KCC=clang|gcc, K=regex"
	@echo "  scripts/check.py --list     every test make check runs (takes the same filters)"
	@echo "  make test-unit              host unit tests only (cmocka, ASan+UBSan)"
	@echo "  make test-boot              QEMU boot matrix only"
	@echo
	@echo "  make clean / make distclean remove build products / the whole O directory"
