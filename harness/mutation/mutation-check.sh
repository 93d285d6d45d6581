#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# oomlab's mutation test (docs/mutation.md): build Debian's linux-source 6.1 with the
# guest's config (guest.config), run the suite in a guest of it, then of each kernel
# mutant (mutants/NN-name.patch) in turn: apply, rebuild, keep the image, revert, run
# the suite. A mutant is caught when a case that passed on the baseline does not pass
# on it. The table goes to stdout and to build/mutation/report.md and report.json.
#
# mutation-check.sh [NN...]   only the mutants whose names start with NN (e.g. 01 03)
# Environment: LINUX_SOURCE (the tarball), MUTATION_DIR (the work folder),
# MUTATION_JOBS (make -j, 2), OOMLAB (the binary), OOMLAB_ARGS (more oomlab options),
# MUTATION_CONFIRM=0 (count a case that failed once, without running it again).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/harness/mutation
tarball=${LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
work=${MUTATION_DIR:-$top/build/mutation}
jobs=${MUTATION_JOBS:-2}
oomlab=${OOMLAB:-$top/build/oomlab}
fragment=$here/guest.config
linux=$work/linux
applied=$work/applied.patch     # a copy of the patch in the tree now, while it is there

say() { echo "mutation-check: $*" >&2; }
die() { say "$*"; exit 1; }
now() { echo "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- the tools a kernel build needs ------------------------------------------------

# Each command (or file) with the Debian package that has it.
tools=(gcc:gcc make:make flex:flex bison:bison bc:bc perl:perl patch:patch xz:xz-utils
	gzip:gzip /usr/include/libelf.h:libelf-dev /usr/bin/time:time
	qemu-system-x86_64:qemu-system-x86)

check_tools() {
	local t missing=()
	for t in "${tools[@]}"; do
		case ${t%%:*} in
		/*) [ -e "${t%%:*}" ] || missing+=("${t#*:}") ;;
		*) command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}") ;;
		esac
	done
	((${#missing[@]})) || return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing ${missing[*]} (the kernel build needs them)"
		apt-get update -qq >&2 || die "apt-get update failed"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
	else
		die "missing Debian packages: ${missing[*]}; install them (as root this script" \
			"installs them itself)"
	fi
}

# --- the source tree, unpacked once ---------------------------------------------------

# The stamp names the tarball by size and time; it is written last, so a tree without it
# (an unpack that was interrupted) or with another tarball's is unpacked again.
unpack() {
	local stamp want
	[ -r "$tarball" ] || die "cannot read $tarball (Debian: apt-get install linux-source-6.1)"
	want="$(stat -c '%s %Y' "$tarball") $tarball"
	stamp=$linux/.oomlab-unpacked
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		return 0
	fi
	say "unpacking $tarball into $linux"
	rm -rf "$linux" "$work/unpack.tmp" "$work/applied.patch" "$work/config.stamp"
	mkdir -p "$work/unpack.tmp"
	tmpdir=$work/unpack.tmp
	tar -xJf "$tarball" -C "$work/unpack.tmp" || die "unpacking $tarball failed"
	local top_dir
	top_dir=$(find "$work/unpack.tmp" -mindepth 1 -maxdepth 1 -type d)
	[ -f "$top_dir/mm/oom_kill.c" ] || die "$tarball holds no kernel tree (no mm/oom_kill.c)"
	mv "$top_dir" "$linux"
	rm -rf "$work/unpack.tmp"
	tmpdir=
	echo "$want" >"$stamp"
}

# A patch a killed run left applied is taken out first (its copy says which).
revert_applied() {
	[ -f "$applied" ] || return 0
	if patch -d "$linux" -p1 -R --dry-run --batch -s <"$applied" >/dev/null 2>&1; then
		patch -d "$linux" -p1 -R --batch -s --no-backup-if-mismatch <"$applied" ||
			die "reverting $(head -1 "$applied") in $linux failed"
	elif ! patch -d "$linux" -p1 --dry-run --batch -s <"$applied" >/dev/null 2>&1; then
		die "$linux is neither with nor without the patch in $applied; remove $linux" \
			"to unpack it again"
	fi
	rm -f "$applied"
}

# --- the config ------------------------------------------------------------------------

# Every `CONFIG_X=y` and `# CONFIG_X is not set` of the fragment must hold in .config.
verify_config() {
	local line sym bad=()
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qx -- "$line" "$linux/.config" || bad+=("$line")
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			! grep -q "^$sym=" "$linux/.config" || bad+=("$line")
			;;
		esac
	done <"$fragment"
	((${#bad[@]} == 0)) ||
		die "$linux/.config lacks what $fragment asks for (a missing dependency?):" \
			"${bad[*]}"
}

# tinyconfig, the fragment over it, olddefconfig; done again when the fragment changes.
configure() {
	local want
	want=$(sha256sum <"$fragment" | cut -d' ' -f1)
	if [ -f "$linux/.config" ] && [ "$(cat "$work/config.stamp" 2>/dev/null)" = "$want" ]; then
		verify_config
		return 0
	fi
	say "configuring $linux: make tinyconfig, $fragment over it, make olddefconfig"
	rm -f "$work/config.stamp"
	{
		make -C "$linux" tinyconfig &&
			(cd "$linux" && scripts/kconfig/merge_config.sh -m .config "$fragment") &&
			make -C "$linux" olddefconfig
	} >"$work/logs/config.log" 2>&1 || die "configuring $linux failed; see $work/logs/config.log"
	verify_config
	echo "$want" >"$work/config.stamp"
}

# --- building and running ----------------------------------------------------------------

# build NAME: bzImage with `-oomlab-NAME` in its version, copied to images/NAME.bzImage.
# Sets build_s (wall clock) and build_cpu_s (user + system, all of make's children).
build() {
	local name=$1 log=$work/logs/$1.build.log
	if ! /usr/bin/time -f '%e %U %S' -o "$work/logs/$name.time" nice -n 19 \
		make -C "$linux" -j"$jobs" LOCALVERSION="-oomlab-$name" bzImage >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		return 1
	fi
	read -r build_s build_cpu_s < <(awk 'END { printf "%.1f %.1f\n", $1, $2 + $3 }' \
		"$work/logs/$name.time")
	cp "$linux/arch/x86/boot/bzImage" "$work/images/$name.bzImage.tmp"
	mv "$work/images/$name.bzImage.tmp" "$work/images/$name.bzImage"
}

# suite IMAGE RUN [CASE...]: the suite (or the cases named) in a guest of
# images/IMAGE.bzImage; results/RUN/verdicts has one line per case: CASE pass|fail|skip.
# Sets suite_s and summary (its totals).
suite() {
	local image=$1 run=$2 out=$work/results/$2 t0
	shift 2
	rm -rf "$out"
	t0=$(now)
	# shellcheck disable=SC2086 # OOMLAB_ARGS is a list of words
	"$oomlab" --vm-only --kernel "$work/images/$image.bzImage" --results "$out" \
		${OOMLAB_ARGS:-} "$@" >"$work/logs/$run.ktap" 2>"$work/logs/$run.stderr" || true
	suite_s=$(secs "$t0" "$(now)")
	[ -s "$out/results.ktap" ] || die "oomlab wrote no results for $run; see" \
		"$work/logs/$run.stderr"
	# `ok N KERNEL:case`, `ok N KERNEL:case # SKIP why`, `not ok N KERNEL:case ...`
	awk '/^(not )?ok [0-9]+ / {
		v = ($1 == "not") ? "fail" : ($0 ~ / # SKIP/ ? "skip" : "pass")
		n = ($1 == "not") ? $4 : $3; sub(/^[^:]*:/, "", n); print n, v }' \
		"$out/results.ktap" >"$out/verdicts"
	summary=$(awk '{ c[$2]++ } END { printf "%d pass, %d fail, %d skip", c["pass"],
		c["fail"], c["skip"] }' "$out/verdicts")
}

# caught_by RUN: the cases that passed on the baseline and do not in RUN.
caught_by() {
	awk 'NR == FNR { if ($2 == "pass") base[$1] = 1; next }
		($1 in base) && $2 != "pass" { printf "%s%s", sep, $1; sep = " " }' \
		"$work/results/base/verdicts" "$work/results/$1/verdicts"
}

# --- the report ----------------------------------------------------------------------------

rows=()          # mutant|caught|cases|rebuild s|rebuild CPU s|suite s|summary|flaky
report() {
	local md=$work/report.md json=$work/report.json row m c cases r rc s sum fl n=0 k=0 sep=
	{
		echo "# oomlab mutation check, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo
		echo "Baseline: Linux $(make -s --no-print-directory -C "$linux" kernelversion) ($tarball), built" \
			"(incrementally if the tree was built before) in ${base_build_s} s (${base_cpu_s} s of CPU), suite ${base_suite_s} s: ${base_summary}."
		echo
		echo "| mutant | caught | caught by | rebuild s | rebuild CPU s | suite s | suite |" \
			"failed once, passed again |"
		echo "|---|---|---|---|---|---|---|---|"
	} >"$md"
	echo "{\"kernel\": \"$(make -s --no-print-directory -C "$linux" kernelversion)\", \"baseline\": {" \
		"\"build_s\": $base_build_s, \"build_cpu_s\": $base_cpu_s, \"suite_s\": $base_suite_s, \"summary\":" \
		"\"$base_summary\"}, \"mutants\": [" >"$json"
	for row in "${rows[@]}"; do
		IFS='|' read -r m c cases r rc s sum fl <<<"$row"
		echo "| $m | $c | ${cases:--} | $r | $rc | $s | $sum | ${fl:--} |" >>"$md"
		printf '%s\n  {"mutant": "%s", "caught": %s, "caught_by": [%s], "rebuild_s": %s,' \
			"$sep" "$m" "$([ "$c" = yes ] && echo true || echo false)" \
			"$(for x in $cases; do printf '"%s",' "$x"; done | sed 's/,$//')" "${r:-null}" \
			>>"$json"
		printf ' "rebuild_cpu_s": %s,' "${rc:-null}" >>"$json"
		printf ' "suite_s": %s, "summary": "%s", "flaky": [%s]}' "${s:-null}" "$sum" \
			"$(for x in $fl; do printf '"%s",' "$x"; done | sed 's/,$//')" >>"$json"
		sep=,
		n=$((n + 1))
		[ "$c" = yes ] && k=$((k + 1))
	done
	printf '\n], "caught": %d, "mutants_run": %d}\n' "$k" "$n" >>"$json"
	printf '\nScore: %d of %d mutants caught.\n' "$k" "$n" >>"$md"
	cat "$md"
}

# --- main ------------------------------------------------------------------------------

tmpdir=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[ -z "$tmpdir" ] || rm -rf "$tmpdir"
	if [ -f "$applied" ] && [ -d "$linux" ]; then
		say "reverting $(sed -n 's/^# mutant: //p' "$applied" | head -1) in $linux"
		revert_applied
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$oomlab" ] || die "no $oomlab: run make first (make mutation-check does)"
mutants=()
for p in "$here"/mutants/*.patch; do
	[ -e "$p" ] || die "no mutants in $here/mutants"
	if (($# == 0)); then
		mutants+=("$p")
	else
		for want in "$@"; do
			case $(basename "$p") in "$want"*) mutants+=("$p") ;; esac
		done
	fi
done
((${#mutants[@]})) || die "no mutant in $here/mutants matches: $*"

check_tools
mkdir -p "$work"
unpack
revert_applied
mkdir -p "$work/logs" "$work/images" "$work/results"
configure

say "building the baseline (nice -n 19 make -j$jobs; the first build takes a while)"
build base || die "building the baseline failed; see $work/logs/base.build.log"
base_build_s=$build_s
base_cpu_s=$build_cpu_s
say "baseline built in $base_build_s s ($base_cpu_s s of CPU); running the suite in a guest of it"
suite base base
base_summary=$summary
base_suite_s=$suite_s
say "baseline: $base_summary in $base_suite_s s"

for p in "${mutants[@]}"; do
	name=$(basename "$p" .patch)
	if ! patch -d "$linux" -p1 --dry-run --batch -s <"$p" >/dev/null 2>&1; then
		say "$name: does not apply to $linux"
		rows+=("$name|error|||||does not apply")
		continue
	fi
	{ echo "# mutant: $name"; cat "$p"; } >"$applied"
	patch -d "$linux" -p1 --batch -s --no-backup-if-mismatch <"$p" ||
		die "applying $p failed after its dry run passed"
	say "$name: rebuilding"
	ok=yes
	build "$name" || ok=
	revert_applied
	if [ -z "$ok" ]; then
		say "$name: the build failed; see $work/logs/$name.build.log"
		rows+=("$name|error|||||build failed")
		continue
	fi
	say "$name: rebuilt in $build_s s ($build_cpu_s s of CPU); running the suite"
	suite "$name" "$name"
	cases=$(caught_by "$name")
	sum=$summary s=$suite_s flaky=
	say "$name: $sum in $s s${cases:+; failed: $cases}"
	# Under TCG a case can fail now and then: only a case that fails again counts.
	if [ -n "$cases" ] && [ "${MUTATION_CONFIRM:-1}" != 0 ]; then
		# shellcheck disable=SC2086 # one case name a word
		suite "$name" "$name.confirm" $cases
		again=$(caught_by "$name.confirm")
		flaky=$(for x in $cases; do [[ " $again " == *" $x "* ]] || echo "$x"; done | xargs)
		say "$name: failed again in $suite_s s: ${again:-none}${flaky:+; passed again: $flaky}"
		cases=$again
	fi
	caught=$([ -n "$cases" ] && echo yes || echo no)
	rows+=("$name|$caught|$cases|$build_s|$build_cpu_s|$s|$sum|$flaky")
done
report
