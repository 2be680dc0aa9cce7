#!/bin/sh
# R13 (INV-13, a951104333bd): fstests' dm-error swap under a user of a zoned
# device.  fstests (common/dmerror) builds its device as dm-linear over the
# scratch device and swaps in `0 N error DEV 0`, then the linear table back,
# with the file system mounted.  Since 6.10 dm-error takes the zone model of
# DEV, so the device stays host-managed with the same zones; 6.1's dm-error
# ignores its arguments and the device becomes non-zoned under its user
# (with a mounted zoned btrfs: "unexpected conventional zone", a WARNING in
# bio_add_zone_append_page(), a NULL dereference in submit_one_bio()).
# The user here is a shell holding the disk open (fd 3): no file system is
# needed to show the change, and none is harmed.
# Steps:
#   closed   the same swap with nobody holding the device: INV-13 silent on
#            every kernel (a device nobody uses may change)
#   open     with the device held open: FIRES on 6.1 only
#   back     the linear table back, still open (a zoned table over a
#            non-zoned one on 6.1: not a wildcard swap, silent)
# Usage: scenario-r13.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r13 "$@" || exit 1
sc_remove r13
sc_nullb_del r13z

nullb r13z size=256 zoned=1 zone_size=64 zone_nr_conv=0 || exit 1
S=524288
T_linear="0 $S linear /dev/r13z 0"
T_error="0 $S error /dev/r13z 0"

# swap LABEL TABLE: suspend, load, resume; the state after it
swap() {
	run "$1-suspend" dmsetup suspend r13
	run "$1-load" dmsetup load r13 --table "$2"
	run "$1-resume" dmsetup resume r13
	sc_table "$1" r13
	sc_sysfs "$1" "$D"
}

step create
run create dmsetup create r13 --table "$T_linear"
D=$(dm_dev r13)
sc_sysfs created "$D"

step closed
swap closed-error "$T_error"
swap closed-back "$T_linear"

step open
exec 3<"/dev/$D"
note "fd 3 holds /dev/$D open"
swap open-error "$T_error"
sc_dmesg open-error

step back
swap open-back "$T_linear"
exec 3<&-
sc_dmesg back

step remove
run remove dmsetup remove r13
sc_nullb_del r13z
sc_dmesg end
sc_end
exit 0
