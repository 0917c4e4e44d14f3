#!/usr/bin/env bash
# tools/deps.sh — install what Kiln builds against, idempotently.
#
#   Debian packages: libgc-dev libzip-dev pkg-config gcc make libc6-dev
#   sljit 0.95:      taken from Debian's pcre2 10.42 source package (src/sljit),
#                    unpacked into third_party/sljit (git-ignored), never committed.
#
# Fast path: everything present and the sljit tree matches its pinned hash -> exit 0
# in well under a second, with no network use. As root it adds a deb-src entry for the
# main suite when none exists (see ../shared/notes/deps.md for why only the main suite).
# Not root and something missing -> one message naming the command to run, exit 1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/third_party/sljit"
PKGS="libgc-dev libzip-dev pkg-config gcc make libc6-dev ${EXTRA_PKGS:-}"
ORIG_SHA=c33b418e3b936ee3153de2c61cc638e7e4fe3156022a5c77d0711bcbb9d64f1f
STAMP="$DEST/.vendored-from"
TREE_SHA=c8c44b6d96ed34f3e2ec8e48dff7392d36fc92e3728549cdf89c612c106163e4   # tree_hash of src/sljit

say() { printf 'deps: %s\n' "$*" >&2; }

missing_pkgs() {
    local p out=""
    for p in $PKGS; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            out="$out $p"
        fi
    done
    printf '%s' "${out# }"
}

tree_hash() {   # sha256 over the sha256sum lines of the *.[ch] files, C-locale order
    (cd "$1" && LC_ALL=C ls -- *.[ch] | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
}

sljit_ok() {
    [ -f "$STAMP" ] && [ -f "$DEST/sljitLir.c" ] || return 1
    [ "$(sed -n 's/^tree //p' "$STAMP")" = "$TREE_SHA" ] && [ "$(tree_hash "$DEST")" = "$TREE_SHA" ]
}

MISSING=$(missing_pkgs)
if [ -z "$MISSING" ] && sljit_ok && [ -z "${SLJIT_FORCE:-}" ]; then
    exit 0
fi

IS_ROOT=0; [ "$(id -u)" = 0 ] && IS_ROOT=1
export DEBIAN_FRONTEND=noninteractive

if [ -n "$MISSING" ] && [ $IS_ROOT = 0 ]; then
    say "ERROR: missing Debian packages: $MISSING"
    say "run as root:  apt-get update && apt-get install -y --no-install-recommends $MISSING"
    say "(or run 'sudo tools/deps.sh'), then re-run make"
    exit 1
fi

. /etc/os-release
CODENAME=${VERSION_CODENAME:-bookworm}

has_debsrc() {
    local t
    t=$(apt-get indextargets --format '$(TARGET_OF) $(RELEASE)' 2>/dev/null || true)
    case "$t" in *"deb-src $CODENAME"*) return 0 ;; esac
    return 1
}

add_debsrc() {
    # Mirror the first 'deb' entry for the main suite, as apt itself parsed it.
    local line uri signed file
    line=$(apt-get indextargets --format '$(TARGET_OF)|$(RELEASE)|$(REPO_URI)|$(SOURCESENTRY)' 2>/dev/null \
           | awk -F'|' -v s="$CODENAME" '$1=="deb" && $2==s {print; exit}')
    [ -n "$line" ] || { say "ERROR: no 'deb' entry for $CODENAME found to mirror"; exit 1; }
    uri=$(printf '%s' "$line" | cut -d'|' -f3)
    file=$(printf '%s' "$line" | cut -d'|' -f4 | sed 's/:[0-9]*$//')
    signed=""
    if [ -f "$file" ]; then
        signed=$(sed -n 's/^Signed-By:[[:space:]]*//p' "$file" | head -n1)
        [ -n "$signed" ] || signed=$(sed -n 's/.*signed-by=\([^] ]*\).*/\1/p' "$file" | head -n1)
    fi
    {
        echo "Types: deb-src"
        echo "URIs: $uri"
        echo "Suites: $CODENAME"
        echo "Components: main"
        [ -n "$signed" ] && echo "Signed-By: $signed"
    } > /etc/apt/sources.list.d/kiln-debsrc.sources
    say "added deb-src entry for $CODENAME ($uri)"
}

NEED_UPDATE=0
if ! has_debsrc; then
    if [ $IS_ROOT = 0 ]; then
        say "ERROR: no deb-src entry for '$CODENAME' and not root: run 'sudo tools/deps.sh' so it can be added"
        exit 1
    fi
    add_debsrc; NEED_UPDATE=1
fi
if ! ls /var/lib/apt/lists/*_source_Sources* >/dev/null 2>&1; then NEED_UPDATE=1; fi
[ -n "$MISSING" ] && NEED_UPDATE=1
if [ $NEED_UPDATE = 1 ]; then
    [ $IS_ROOT = 1 ] || { say "ERROR: apt index needs 'apt-get update' as root"; exit 1; }
    say "apt-get update"
    apt-get update -qq >/dev/null
fi
if [ -n "$MISSING" ]; then
    say "installing $MISSING"
    apt-get install -y -qq --no-install-recommends $MISSING >/dev/null
fi

if sljit_ok && [ -z "${SLJIT_FORCE:-}" ]; then exit 0; fi

WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/dl"
[ $IS_ROOT = 1 ] && chown _apt "$WORK/dl" 2>/dev/null || true
VERSIONS=$(apt-cache showsrc --only-source pcre2 2>/dev/null | sed -n 's/^Version: \(10\.42-.*\)/\1/p' | sort -rV | uniq)
[ -n "$VERSIONS" ] || { say "ERROR: apt knows no pcre2 10.42 source package (is deb-src configured and updated?)"; exit 1; }
GOT=""
for v in $VERSIONS; do
    if (cd "$WORK/dl" && apt-get source -qq --download-only "pcre2=$v" >/dev/null 2>&1); then GOT=$v; break; fi
    say "pcre2 $v source not downloadable, trying the next revision"
done
[ -n "$GOT" ] || { say "ERROR: could not download any pcre2 10.42 source package"; exit 1; }
TARBALL="$WORK/dl/pcre2_10.42.orig.tar.gz"
SUM=$(sha256sum "$TARBALL" | cut -d' ' -f1)
[ "$SUM" = "$ORIG_SHA" ] || { say "ERROR: pcre2_10.42.orig.tar.gz has sha256 $SUM, expected $ORIG_SHA"; exit 1; }
mkdir -p "$WORK/sljit"
tar -xzf "$TARBALL" --no-same-owner --strip-components=3 -C "$WORK/sljit" pcre2-10.42/src/sljit
grep -q 'SLJIT_MAJOR_VERSION[[:space:]]*0' "$WORK/sljit/sljitLir.h" \
    && grep -q 'SLJIT_MINOR_VERSION[[:space:]]*95' "$WORK/sljit/sljitLir.h" \
    || { say "ERROR: unexpected sljit version in pcre2 $GOT"; exit 1; }
TH=$(tree_hash "$WORK/sljit")
[ "$TH" = "$TREE_SHA" ] || { say "ERROR: sljit tree hash $TH, expected $TREE_SHA"; exit 1; }
printf 'pcre2 %s\ntree %s\n' "$GOT" "$TH" > "$WORK/sljit/.vendored-from"
mkdir -p "$ROOT/third_party"
rm -rf "$DEST.old"; [ -d "$DEST" ] && mv "$DEST" "$DEST.old"
mv "$WORK/sljit" "$DEST"; rm -rf "$DEST.old"
say "sljit 0.95 from pcre2 $GOT -> third_party/sljit"
