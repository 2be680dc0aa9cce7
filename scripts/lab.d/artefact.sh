# shellcheck shell=bash
# The multi-threaded TCG artefact, said by scripts/lab and recognised by
# those that boot it (tests/run, scripts/suite, scripts/bench), which then
# boot once more: a vCPU runs into the int3 of a text patch another vCPU
# has finished, and the guest oopses whatever the script does.  Sourced.

# lab_artefact_say WHY: scripts/lab's line (on stderr) for a boot it killed.
lab_artefact_say() {
	echo "lab: artefact: $*" >&2
}

# lab_artefact STATUS LOG: when a `scripts/lab run` that exited STATUS, its
# output in LOG, was killed by the artefact, print what scripts/lab said of
# it and succeed; fail otherwise.
lab_artefact() {
	local why
	[ "$1" -eq 125 ] || return 1
	why=$(sed -n '/^lab: artefact: /{s///;p;q;}' "$2")
	[ -n "$why" ] && echo "$why"
}
