#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Export the series with git format-patch --cover-letter into $O/series.
# The cover letter takes its subject and text from patches/cover-letter.txt
# and names the exact base it was prepared on.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=$(kfb_tree)
dir=$O/series
rm -rf "$dir"
if [ -n "${KSRC:-}" ]; then
	n=$(python3 "$KFB_ROOT/harness/series.py" list | wc -l)
	range=HEAD~$n..HEAD
	basedesc="$(git -C "$tree" describe --always HEAD~"$n") (KSRC=$KSRC)"
else
	range=base..kfree_batch
	. "$tree/.git/kfb-base"
	basedesc="Linux $KERNELVERSION, Debian $BASE_PKG $BASE_VERSION ($BASE_SUITE)"
fi
run git -C "$tree" format-patch -q --cover-letter --base="${range%%..*}" \
	-o "$dir" "$range" >/dev/null
cover=$(ls "$dir"/0000-cover-letter.patch)
subject=$(sed -n '1s/^Subject: //p' "$KFB_ROOT/patches/cover-letter.txt")
python3 - "$cover" "$KFB_ROOT/patches/cover-letter.txt" "$subject" "$basedesc" <<'PY'
import sys
cover, text, subject, base = sys.argv[1:]
body = open(text).read().split('\n', 2)[2].replace('@BASE@', base)
c = open(cover).read()
c = c.replace('*** SUBJECT HERE ***', subject)
c = c.replace('*** BLURB HERE ***', body.rstrip('\n'))
open(cover, 'w').write(c)
PY
echo "  SERIES  $(ls "$dir" | wc -l) files in $dir (base: $basedesc)"
