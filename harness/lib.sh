# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the kfree_batch harness scripts.  Sourced, not run.

KFB_ROOT=${KFB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
O=${O:-$KFB_ROOT/build}
case "$O" in /*) ;; *) O=$KFB_ROOT/$O ;; esac
JOBS=${JOBS:-$(nproc)}
V=${V:-0}

die() { echo "kfree_batch: error: $*" >&2; exit 1; }
note() { echo "  $*"; }

# Print a command the way kbuild prints its steps, then run it.  The
# command is shown in full so it can be pasted into a real kernel tree.
run() {
	printf '  $ %s\n' "$*" >&2
	"$@"
}

# The tree the series is applied to: the prepared Debian base, or KSRC.
kfb_tree() {
	if [ -n "${KSRC:-}" ]; then echo "$KSRC"; else echo "$O/linux"; fi
}

# Where out-of-tree kernel builds go.
kfb_out() { echo "$O/out/$1"; }

export CCACHE_DIR=${CCACHE_DIR:-${HOME:-/root}/.cache/ccache}
# Builds with different O= share ccache hits (the source paths are the same).
export CCACHE_NOHASHDIR=1
# Out-of-tree kernel builds name the source by its absolute path: without a
# base directory, a clone in another place (CI checks out afresh) would miss
# every object this clone cached.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$O}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
# The compiler of every kernel build (make bench reads it from here too).
export KFB_CC="ccache gcc"

# kunit_counts LOG: "passed failed" from kunit.py's summary line in LOG
# ("Testing complete. Ran N tests: passed: P, failed: F, crashed: C");
# crashed cases count as failed.
kunit_counts() {
	local summary p f c
	summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$1" | tail -n 1 || true)
	p=$(sed -nE 's/.*passed: ([0-9]+).*/\1/p' <<<"$summary")
	f=$(sed -nE 's/.*failed: ([0-9]+).*/\1/p' <<<"$summary")
	c=$(sed -nE 's/.*crashed: ([0-9]+).*/\1/p' <<<"$summary")
	echo "${p:-0} $(( ${f:-0} + ${c:-0} ))"
}

# kunit_splats CONSOLE: the kernel splats in a console log (splats.py):
# prints them and fails if there is one, or if the log is missing.
kunit_splats() {
	python3 "$KFB_ROOT/harness/splats.py" "$1"
}

# kfb_mirror: the Debian archive this machine's own apt sources name (the
# first deb entry that is not a security archive), so that the private apt
# configurations below fetch from the same place.  MIRROR= overrides it.
kfb_mirror() {
	local m=${MIRROR:-}

	if [ -z "$m" ]; then
		m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
			BEGIN { RS = ""; FS = "\n" }
			{
				uri = ""; types = ""; suites = ""
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uri = u[1] }
					if ($i ~ /^Types:/) types = $i
					if ($i ~ /^Suites:/) suites = $i
				}
				if (types ~ /[ \t]deb([ \t]|$)/ && uri != "" && uri !~ /security/ && suites !~ /-security/) { print uri; exit }
			}')
	fi
	if [ -z "$m" ]; then
		m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -E 's/\[[^]]*\]//' | awk '$1 == "deb" && $2 !~ /security/ && $3 !~ /-security/ { print $2; exit }')
	fi
	[ -n "$m" ] || die "no Debian mirror in /etc/apt/sources.list{,.d/*.sources,.d/*.list}: set MIRROR=http://<mirror>/debian"
	echo "${m%/}"
}

# kfb_apt DIR LINE...: a private apt configuration in DIR whose only
# sources are LINE... (sources.list lines).  The system's apt sources and
# package state are never touched.  Prints the APT_CONFIG file to export.
# Signatures are checked (signed-by the Debian archive keyring), but not
# a Release file's Valid-Until: the mirror may be a dated snapshot, whose
# sid and backports Release files have expired, and what is fetched is
# source to build and test, pinned by the archive's signature.
kfb_apt() {
	local dir=$1
	shift
	mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/cache" "$dir/etc/preferences.d"
	: > "$dir/status"
	printf '%s\n' "$@" > "$dir/sources.list"
	cat > "$dir/apt.conf" <<CONF
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::Etc::Preferences "$dir/etc/preferences";
Dir::Etc::PreferencesParts "$dir/etc/preferences.d";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
Dir::Cache::Archives "$dir/archives";
APT::Sandbox::User "root";
Acquire::Check-Valid-Until "false";
CONF
	echo "$dir/apt.conf"
}
