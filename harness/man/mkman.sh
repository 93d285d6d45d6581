#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make oomlab(1) from its template (docs/oomlab.1.in): @OPTIONS@ becomes the options as
# `oomlab --help` prints them, @KEYS@ the case and expected file keys as
# `oomlab --list-keys` prints them, @VERSION@ the source's version. The page then says
# what the binary does: a new option or key is in it without being written twice.
# Usage: harness/man/mkman.sh OOMLAB TEMPLATE OUT
set -euo pipefail
oomlab=$1 template=$2 out=$3
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT

# roff text: backslashes escaped, and no line may start with . or '
esc='function esc(s) { gsub(/\\/, "\\e", s); if (s ~ /^[.\047]/) s = "\\&" s; return s }'

# " -v, --verbose    help" (the help after two blanks, or on the next lines when the
# option is long) and its continuation lines, under "Title:" lines; the first title,
# "Options", is the section's own
options() {
	"$oomlab" --help | awk "$esc"'
		/^Options:$/ { on = 1; next }
		/^(Results files|VM backend|For tests)/ { sub(/:$/, ""); print ".SS " esc($0); next }
		!on || /^$/ { next }
		substr($0, 1, 27) ~ /^ *$/ { sub(/^ +/, ""); print esc($0); next }
		{
			t = $0; sub(/^ +/, "", t); cut = index(t, "  ")
			left = cut ? substr(t, 1, cut - 1) : t; help = cut ? substr(t, cut) : ""
			sub(/^ +/, "", help)
			n = split(left, w, " "); head = ""
			for (i = 1; i <= n; i++) {
				word = w[i]; comma = word ~ /,$/ ? "," : ""; sub(/,$/, "", word)
				head = head (i > 1 ? " " : "") (word ~ /^-/ ? "\\fB" esc(word) "\\fR" : "\\fI" esc(word) "\\fR") comma
			}
			print ".TP"; print head; if (help != "") print esc(help)
		}'
}

# "### [case]" and its rows "| `key` | value | meaning |"
keys() {
	"$oomlab" --list-keys | awk -F' [|] ' "$esc"'
		/^### / { sub(/^### /, ""); print ".SS " esc($0); next }
		/^\| key|^\|---|^$/ { next }
		/^\| / {
			key = $1; sub(/^\| /, "", key); value = $2; meaning = $3; sub(/ \|$/, "", meaning)
			gsub(/`/, "", key); gsub(/`/, "", value); gsub(/`/, "", meaning)
			while (match(meaning, /\[[^]]*\]\([^)]*\)/)) {   # [text](link): text
				link = substr(meaning, RSTART, RLENGTH); sub(/\]\(.*/, "", link); sub(/^\[/, "", link)
				meaning = substr(meaning, 1, RSTART - 1) link substr(meaning, RSTART + RLENGTH)
			}
			print ".TP"; print "\\fB" esc(key) "\\fR = " esc(value); print esc(meaning)
		}'
}

version=$(git -C "$(dirname "$template")" describe --always --dirty 2>/dev/null || echo unknown)
while IFS= read -r line; do
	case "$line" in
	@OPTIONS@) options ;;
	@KEYS@) keys ;;
	*) printf '%s\n' "${line//@VERSION@/$version}" ;;
	esac
done <"$template" >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
