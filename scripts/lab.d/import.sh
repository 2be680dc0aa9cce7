# shellcheck shell=bash
# scripts/lab.d/import.sh - any kernel in the lab (sourced by scripts/lab).
#
# Besides the labels of Debian's kernels and the lab's own builds, `run`,
# `shell` and `import` take a kernel given by its files:
#
#   TREE[:MODDIR]           a built kernel tree (arch/x86/boot/bzImage or
#                           vmlinux, .config, include/config/kernel.release);
#                           its modules are installed from it (make
#                           modules_install), or read from MODDIR
#   IMAGE:MODDIR[:CONFIG]   a kernel image and its installed modules
#   DEB[,DEB...]            Debian packages: linux-image-*.deb, or for 7.x
#                           linux-binary[-unsigned]-V, linux-modules-V and
#                           linux-base-V (the missing ones are taken from the
#                           directory of the given one)
#
# MODDIR is /lib/modules/VERSION itself or a root that holds lib/modules/
# VERSION or usr/lib/modules/VERSION (an INSTALL_MOD_PATH).  CONFIG defaults to
# MODDIR/config, the image's directory's config-VERSION, then
# MODDIR/build/.config.
#
# An imported kernel goes into the cache in the layout of the fetched ones,
# as import-HASH, HASH being a digest of its files' content: the same files
# are one kernel, whatever their path.  A memo keyed by the files' paths,
# sizes and modification times spares the digest of an unchanged input.

readonly IMPORT_FORMAT=1

# What the lab and dmswap-trace cannot do without: "OPTION:values:why".
# shellcheck disable=SC2034 # read through a nameref (check_requirements)
readonly IMPORT_NEEDS=(
	"CONFIG_X86_64:y:the lab boots x86-64 kernels"
	"CONFIG_SERIAL_8250_CONSOLE:y:the console, the script's output and its status are serial ports"
	"CONFIG_BLK_DEV_INITRD:y:the lab boots an initramfs"
	"CONFIG_RD_ZSTD:y:the initramfs is zstd-compressed"
	"CONFIG_DEVTMPFS:y:the guest's /dev is a devtmpfs"
	"CONFIG_VIRTIO_PCI:y m:LAB_OUT and --system use virtio disks"
	"CONFIG_VIRTIO_BLK:y m:LAB_OUT and --system use virtio disks"
	"CONFIG_BPF_SYSCALL:y:dmswap-trace loads BPF programs"
	"CONFIG_BPF_EVENTS:y:dmswap-trace attaches BPF programs to kprobes"
	"CONFIG_KPROBES:y:dmswap-trace's hooks are kprobes or fentry"
	"CONFIG_DEBUG_INFO_BTF:y:dmswap-trace's CO-RE reads need the kernel's BTF"
	"CONFIG_BLK_DEV_DM:y m:device-mapper (dm-mod)"
	"CONFIG_BLK_DEV_ZONED:y:the scenarios' devices are zoned"
	"CONFIG_BLK_DEV_NULL_BLK:y m:the scenarios' devices are null_blk"
)
# What some scenarios need: a warning only.
# shellcheck disable=SC2034 # read through a nameref (check_requirements)
readonly IMPORT_WANTS=(
	"CONFIG_DM_CRYPT:y m:dm-crypt (the R2/R5/R8 and crypt-error scenarios)"
	"CONFIG_DM_MULTIPATH:y m:dm-multipath (request-based devices)"
	"CONFIG_CONFIGFS_FS:y m:null_blk's configfs interface"
)

# Whether ARG names a kernel by its files rather than by a label.
is_import_spec() { [[ $1 == */* || $1 == *.deb* || $1 == *:* || -e $1 ]]; }

# parse_spec SPEC: set IMP_KIND (tree, image, debs) and IMP_TREE, IMP_IMAGE,
# IMP_MODDIR, IMP_CONFIG, IMP_DEBS (absolute paths).
parse_spec() {
	local spec=$1 a b c rest
	IMP_KIND="" IMP_TREE="" IMP_IMAGE="" IMP_MODDIR="" IMP_CONFIG="" IMP_DEBS=()
	if [[ $spec == *.deb || $spec == *.deb,* ]]; then
		local -a debs
		IFS=, read -r -a debs <<<"$spec"
		local d
		for d in "${debs[@]}"; do
			[[ $d == *.deb ]] || die "'$d' in '$spec' is not a .deb (give DEB[,DEB...])"
			[[ -f $d && -r $d ]] || die "'$d' is not a readable file"
			IMP_DEBS+=("$(realpath "$d")")
		done
		IMP_KIND=debs
		complete_split_debs
		return 0
	fi
	a=${spec%%:*} rest=${spec#"$a"}
	rest=${rest#:} b=${rest%%:*} c=${rest#"$b"} c=${c#:}
	[[ $c != *:* ]] || die "too many ':' in '$spec' (TREE[:MODDIR], IMAGE:MODDIR[:CONFIG] or DEB[,DEB...]; paths with ':' are not supported)"
	[[ -e $a ]] || die "kernel '$a': no such file or directory (a label: ${LABELS[*]} ${VARIANTS[*]/#/lab-}; or TREE[:MODDIR], IMAGE:MODDIR[:CONFIG], DEB[,DEB...])"
	if [[ -d $a ]]; then
		[[ -z $c ]] || die "a kernel tree takes TREE[:MODDIR], not a config: it has its own .config"
		IMP_KIND=tree IMP_TREE=$(realpath "$a")
		[[ -f $IMP_TREE/.config ]] || die "$a is not a built kernel tree: no .config"
		[[ -f $IMP_TREE/include/config/kernel.release ]] ||
			die "$a is not a built kernel tree: no include/config/kernel.release (build it first)"
		[[ -f $IMP_TREE/arch/x86/boot/bzImage || -f $IMP_TREE/vmlinux ]] ||
			die "$a is not a built kernel tree: no arch/x86/boot/bzImage or vmlinux"
	else
		[[ -f $a && -r $a ]] || die "kernel image '$a' is not a readable file"
		[[ -n $b ]] || die "a kernel image needs its modules: IMAGE:MODDIR[:CONFIG]"
		IMP_KIND=image IMP_IMAGE=$(realpath "$a")
	fi
	if [[ -n $b ]]; then
		[[ -d $b ]] || die "modules directory '$b' is not a directory"
		IMP_MODDIR=$(realpath "$b")
	fi
	if [[ -n $c ]]; then
		[[ -f $c && -r $c ]] || die "kernel config '$c' is not a readable file"
		IMP_CONFIG=$(realpath "$c")
	fi
}

# 7.x kernels come split in three packages: given one of them, the others of
# the same version are taken from its directory.
complete_split_debs() {
	local d base ver part have f
	for d in "${IMP_DEBS[@]}"; do
		base=${d##*/}
		[[ $base =~ ^linux-(binary-unsigned|binary|modules|base)-([^_]+)_ ]] || continue
		ver=${BASH_REMATCH[2]}
		for part in binary modules base; do
			have=0
			for f in "${IMP_DEBS[@]}"; do
				case ${f##*/} in
				linux-"$part"-"$ver"_* | linux-"$part"-unsigned-"$ver"_*) have=1 ;;
				esac
			done
			((have)) && continue
			for f in "${d%/*}/linux-$part-unsigned-${ver}_"*.deb "${d%/*}/linux-$part-${ver}_"*.deb; do
				[[ -f $f ]] || continue
				IMP_DEBS+=("$f")
				note "taking ${f##*/} from beside ${base}"
				break
			done
		done
		return 0
	done
}

# The version of the modules under MODDIR: VERSION when MODDIR is
# .../modules/VERSION, else the one VERSION under MODDIR/{,usr/}lib/modules
# (WANT, when given, picks among several).  Prints the directory.
modules_version_dir() {
	local dir=$1 want=${2:-} d
	local -a found=()
	if [[ -f $dir/modules.order || -f $dir/modules.builtin || -d $dir/kernel ]]; then
		echo "$dir"
		return 0
	fi
	for d in "$dir"/lib/modules/* "$dir"/usr/lib/modules/*; do
		[[ -d $d/kernel || -f $d/modules.builtin ]] && found+=("$d")
	done
	if [[ -n $want ]]; then
		for d in "${found[@]}"; do [[ ${d##*/} == "$want" ]] && echo "$d" && return 0; done
		die "no modules of $want in $dir (found: ${found[*]##*/})"
	fi
	((${#found[@]} == 1)) || die "$dir holds ${#found[@]} module trees (${found[*]##*/}): give the lib/modules/VERSION directory"
	echo "${found[0]}"
}

# The files that make the kernel of the parsed spec, one absolute path a line.
import_inputs() {
	case $IMP_KIND in
	debs) printf '%s\n' "${IMP_DEBS[@]}" ;;
	tree)
		local t=$IMP_TREE f
		for f in arch/x86/boot/bzImage arch/x86/boot/compressed/vmlinux.bin .config include/config/kernel.release; do
			[[ -f $t/$f ]] && echo "$t/$f"
		done
		[[ -f $t/arch/x86/boot/bzImage ]] || echo "$t/vmlinux"
		if [[ -z $IMP_MODDIR && -f $t/modules.order ]]; then
			echo "$t/modules.order"
			# modules.order names the objects (foo.o since 6.1, foo.ko before).
			sed -e 's/\.o$/.ko/' -e "s|^|$t/|" "$t/modules.order"
		fi
		;;
	image)
		echo "$IMP_IMAGE"
		[[ -z $IMP_CONFIG ]] || echo "$IMP_CONFIG"
		;;
	esac
	if [[ -n $IMP_MODDIR ]]; then
		find "$IMP_MODDIR" -type f ! -path '*/build/*' ! -path '*/source/*' | LC_ALL=C sort
	fi
}

# import_label SPEC: import the kernel (when not yet in the cache) and print
# its label.
import_label() {
	parse_spec "$1"
	local -a inputs
	mapfile -t inputs < <(import_inputs)
	local f
	for f in "${inputs[@]}"; do [[ -r $f ]] || die "$f is missing or unreadable"; done
	# The memo: paths, sizes, times; a hit skips reading the content.
	local memo hash
	mkdir -p "$CACHE/imports"
	memo=$CACHE/imports/$({
		echo "format $IMPORT_FORMAT $IMP_KIND $IMP_TREE $IMP_IMAGE $IMP_MODDIR $IMP_CONFIG"
		stat -L -c '%n %s %Y %i' "${inputs[@]}"
	} | sha256sum | cut -c1-32)
	hash=$(cat "$memo" 2>/dev/null || true)
	if [[ -z $hash || ! -f $(kdir "import-$hash")/kernel-version ]]; then
		local t0
		t0=$(now)
		# Content only: names relative to their input, so a copy elsewhere is
		# the same kernel.
		hash=$({
			echo "format $IMPORT_FORMAT $IMP_KIND"
			for f in "${inputs[@]}"; do
				echo "$(sha256sum <"$f" | cut -d' ' -f1) ${f##*/}"
			done
		} | sha256sum | cut -c1-16)
		note "import-$hash: digest of ${#inputs[@]} files in $(elapsed "$t0") s"
		with_lock "$CACHE/.lock-import-$hash" import_locked "import-$hash" "$1"
		echo "$hash" >"$memo.tmp" && mv "$memo.tmp" "$memo"
	fi
	echo "import-$hash"
}

import_locked() {
	local label=$1 spec=$2 kd t0 tmp
	kd=$(kdir "$label")
	[[ -f $kd/kernel-version ]] && return 0
	t0=$(now)
	mkdir -p "$CACHE/kernels"
	tmp=$(mktemp -d "$CACHE/kernels/.import-$label.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	local kver
	case $IMP_KIND in
	debs) kver=$(stage_debs "$tmp") ;;
	tree) kver=$(stage_tree "$tmp") ;;
	image) kver=$(stage_image "$tmp") ;;
	esac
	mkdir -p "$tmp/modules/lib/modules"
	depmod -b "$tmp/modules" "$kver" || die "$label: depmod failed"
	check_requirements "$tmp/config" "$tmp/modules" "$kver" "$spec"
	prepare_modules "$tmp/modules" "$kver" "${BASE_MODULES[@]}" >/dev/null
	{
		echo "import=$label"
		echo "kind=$IMP_KIND"
	} >"$tmp/packages"
	# Where it came from, for `list` (not part of the key).
	echo "$spec" >"$tmp/source"
	echo "$kver" >"$tmp/kernel-version"
	mv "$tmp" "$kd"
	trap - EXIT
	note "$label: $kver imported from $spec in $(elapsed "$t0") s ($(du -sh "$kd" | cut -f1) in $kd)"
}

# Each stage_KIND DIR: put vmlinuz, config and modules/lib/modules/VERSION
# (and vmlinux when there is one) in DIR; print VERSION.

stage_debs() {
	local tmp=$1 deb
	mkdir -p "$tmp/root"
	for deb in "${IMP_DEBS[@]}"; do dpkg -x "$deb" "$tmp/root" || die "dpkg -x ${deb##*/} failed"; done
	local md kver
	md=$(modules_version_dir "$tmp/root")
	kver=${md##*/}
	stage_layout "$tmp" "$tmp/root" "$kver" "${IMP_DEBS[*]##*/}"
	rm -rf "$tmp/root"
	echo "$kver"
}

stage_tree() {
	local tmp=$1 t=$IMP_TREE kver
	kver=$(cat "$t/include/config/kernel.release")
	if [[ -f $t/arch/x86/boot/bzImage ]]; then
		cp "$t/arch/x86/boot/bzImage" "$tmp/vmlinuz"
		# The stripped ELF inside the bzImage: what QEMU boots through PVH.
		if [[ -f $t/arch/x86/boot/compressed/vmlinux.bin ]]; then
			cp "$t/arch/x86/boot/compressed/vmlinux.bin" "$tmp/vmlinux"
		fi
	else
		grep -q '^CONFIG_PVH=y' "$t/.config" ||
			die "$t has a vmlinux but no bzImage, and without CONFIG_PVH QEMU cannot boot a vmlinux"
		objcopy -R .comment -S "$t/vmlinux" "$tmp/vmlinux" || die "objcopy of $t/vmlinux failed"
		ln -s vmlinux "$tmp/vmlinuz"
	fi
	cp "$t/.config" "$tmp/config"
	mkdir -p "$tmp/modules/lib/modules"
	if [[ -n $IMP_MODDIR ]]; then
		cp -a "$(modules_version_dir "$IMP_MODDIR" "$kver")" "$tmp/modules/lib/modules/$kver"
	elif grep -q '^CONFIG_MODULES=y' "$t/.config"; then
		install_tree_modules "$t" "$kver" "$tmp/modules"
	else
		mkdir -p "$tmp/modules/lib/modules/$kver"
	fi
	rm -f "$tmp/modules/lib/modules/$kver/build" "$tmp/modules/lib/modules/$kver/source"
	echo "$kver"
}

# make modules_install of the built tree into DEST, without rebuilding: the
# same kernel release as the build, so LOCALVERSION given on the build's
# command line is given again (what kernel.release has beyond the tree's
# own release).
install_tree_modules() {
	local t=$1 kver=$2 dest=$3 base log=$tmp/modules_install.log
	base=$(env -u LOCALVERSION make -s -C "$t" kernelrelease 2>/dev/null) ||
		die "make kernelrelease failed in $t"
	[[ $kver == "$base"* ]] ||
		die "$t: include/config/kernel.release ($kver) is not the tree's release ($base) plus a LOCALVERSION"
	note "installing the modules of $t ($kver)"
	env -u LOCALVERSION make -s -C "$t" LOCALVERSION="${kver#"$base"}" INSTALL_MOD_PATH="$dest" \
		INSTALL_MOD_STRIP=1 DEPMOD=true modules_install >"$log" 2>&1 ||
		die "make modules_install in $t failed: $(tail -n 5 "$log")"
	[[ -d $dest/lib/modules/$kver ]] || die "make modules_install in $t installed no lib/modules/$kver"
	rm -f "$log"
}

stage_image() {
	local tmp=$1 md kver
	md=$(modules_version_dir "$IMP_MODDIR")
	kver=${md##*/}
	# The image says its version: it must be the modules'.
	local iver
	iver=$(file -bL "$IMP_IMAGE" | sed -n 's/.*, version \([^ ]*\) .*/\1/p')
	[[ -z $iver || $iver == "$kver" ]] ||
		die "the image ${IMP_IMAGE##*/} is $iver but the modules in $md are $kver"
	cp "$IMP_IMAGE" "$tmp/vmlinuz"
	local f config=$IMP_CONFIG
	if [[ -z $config ]]; then
		for f in "$md/config" "${IMP_IMAGE%/*}/config-$kver" "$md/build/.config"; do
			[[ -f $f ]] && config=$f && break
		done
	fi
	[[ -n $config ]] || die "no kernel config for $kver (looked for $md/config, ${IMP_IMAGE%/*}/config-$kver, $md/build/.config): give IMAGE:MODDIR:CONFIG"
	cp "$config" "$tmp/config"
	mkdir -p "$tmp/modules/lib/modules"
	cp -a "$md" "$tmp/modules/lib/modules/$kver"
	rm -f "$tmp/modules/lib/modules/$kver/build" "$tmp/modules/lib/modules/$kver/source"
	echo "$kver"
}

# check_requirements CONFIG MODROOT VERSION SPEC: every IMPORT_NEEDS option
# set, and its module there when it is one; one error names all that is
# missing.
check_requirements() {
	local config=$1 root=$2 kver=$3 spec=$4 entry opt vals why have missing=() wants=()
	local -A module_of=([CONFIG_BLK_DEV_DM]=dm-mod [CONFIG_BLK_DEV_NULL_BLK]=null_blk
		[CONFIG_DM_CRYPT]=dm-crypt [CONFIG_DM_MULTIPATH]=dm-multipath [CONFIG_CONFIGFS_FS]=configfs
		[CONFIG_VIRTIO_BLK]=virtio_blk [CONFIG_VIRTIO_PCI]=virtio_pci)
	local list
	for list in IMPORT_NEEDS IMPORT_WANTS; do
		local -n entries=$list
		for entry in "${entries[@]}"; do
			IFS=: read -r opt vals why <<<"$entry"
			have=$(sed -n "s/^$opt=//p" "$config")
			local problem=""
			if [[ " $vals " != *" ${have:-n} "* ]]; then
				problem="no $opt=${vals// /|} (${why})"
			elif [[ $have == m && -n ${module_of[$opt]:-} ]] &&
				! modprobe -d "$root" -S "$kver" --show-depends "${module_of[$opt]}" >/dev/null 2>&1; then
				problem="no ${module_of[$opt]} module in lib/modules/$kver though $opt=m (${why})"
			fi
			[[ -n $problem ]] || continue
			if [[ $list == IMPORT_NEEDS ]]; then missing+=("$problem"); else wants+=("$problem"); fi
		done
		unset -n entries
	done
	# BTF of modules: dm's structures are in dm-mod's BTF when it is a module.
	if [[ $(sed -n 's/^CONFIG_BLK_DEV_DM=//p' "$config") == m ]] &&
		! grep -q '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$config"; then
		missing+=("no CONFIG_DEBUG_INFO_BTF_MODULES=y (dm-mod is a module: its structures' BTF is the module's)")
	fi
	local w
	for w in "${wants[@]}"; do warn "kernel $kver from $spec: $w"; done
	if ((${#missing[@]})); then
		die "kernel $kver from $spec cannot run in the lab: $(
			IFS=';'
			echo "${missing[*]}"
		)"
	fi
}

# Imported kernels, for `list`: LABEL VERSION SOURCE.
list_imports() {
	local kd
	for kd in "$CACHE"/kernels/import-*; do
		[[ -f $kd/kernel-version ]] || continue
		printf '%-24s %-26s %s\n' "${kd##*/}" "$(cat "$kd/kernel-version")" "$(cat "$kd/source" 2>/dev/null)"
	done
}
