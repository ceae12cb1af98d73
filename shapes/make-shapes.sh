#!/usr/bin/env bash
# Regenerates the built-in shapes: real file systems made unprivileged by the real tools on sparse
# image files, from a real tree of files, then learned (their map, never their content).
#
#   shapes/make-shapes.sh [TREE]      (default TREE: /usr/share; needs e2fsprogs xfsprogs
#                                      btrfs-progs gdisk qemu-utils python3)
#   SHAPES="gpt" shapes/make-shapes.sh  remakes only the shapes named
#
# Writes generator/src/main/resources/io/sparserandom/generator/shapes/*.shape. The images live
# in a temporary folder and are removed at exit; each takes the tree's size on disk.
set -euo pipefail

top="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
tree="${1:-/usr/share}"
out="$top/generator/src/main/resources/io/sparserandom/generator/shapes"
size=16G
tmp="$(mktemp -d "${TMPDIR:-/var/tmp}/make-shapes.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
only=" ${SHAPES:-ext4 xfs btrfs gpt} "
want() { [[ "$only" == *" $1 "* ]]; }
learn() { "$top/bin/sparse-random" learn "$@"; }
# Build once now: writing the shapes into the resources would otherwise make the launcher rebuild.
"$top/bin/sparse-random" --version >/dev/null
export SPARSE_RANDOM_NO_BUILD=1

# A copy of the tree with regular files, folders and symlinks only, names without blanks (the
# xfs protofile cannot name those, nor a lone '$'), so every file system gets the same files.
echo "make-shapes: copying $tree" >&2
cp -a "$tree/." "$tmp/tree"
find "$tmp/tree" -depth \( -name '* *' -o -name '*[[:cntrl:]]*' -o -name '*$*' \) -exec rm -rf {} +
find "$tmp/tree" ! -type f ! -type d ! -type l -delete

# An xfs protofile (mkfs.xfs -p) describing $1: one line per entry, '$' closes a folder.
protofile() {
    python3 - "$1" <<'EOF'
import os, stat, sys
def walk(path, depth):
    for name in sorted(os.listdir(path)):
        p = os.path.join(path, name)
        st = os.lstat(p)
        mode = '%03o' % (st.st_mode & 0o777)
        pad = ' ' * depth
        if stat.S_ISLNK(st.st_mode):
            print(f'{pad}{name} l--{mode} 0 0 {os.readlink(p)}')
        elif stat.S_ISDIR(st.st_mode):
            print(f'{pad}{name} d--{mode} 0 0')
            walk(p, depth + 1)
            print(f'{pad}$')
        elif stat.S_ISREG(st.st_mode):
            print(f'{pad}{name} ---{mode} 0 0 {p}')
print('/dev/null')
print('0 0')
print('d--755 0 0')
walk(sys.argv[1], 1)
print('$')
EOF
}

note() { # name, how it was made
    sed -i -e "2i # made by shapes/make-shapes.sh: $2" -e "s|^source .*|source built-in $1 ($2)|" "$out/$1.shape"
}

protofile "$tmp/tree" >"$tmp/proto"

if want ext4; then
echo "make-shapes: ext4" >&2
truncate -s "$size" "$tmp/ext4.img"
mke2fs -q -t ext4 -F -d "$tmp/tree" "$tmp/ext4.img"
learn "$tmp/ext4.img" -o "$out/ext4.shape"
note ext4 "mke2fs -t ext4 -d TREE on a $size sparse file"
rm -f "$tmp/ext4.img"
fi

if want xfs; then
echo "make-shapes: xfs" >&2
truncate -s "$size" "$tmp/xfs.img"
mkfs.xfs -q -f -p "$tmp/proto" "$tmp/xfs.img"
learn "$tmp/xfs.img" -o "$out/xfs.shape"
note xfs "mkfs.xfs -p PROTOFILE (TREE) on a $size sparse file"
rm -f "$tmp/xfs.img"
fi

if want btrfs; then
echo "make-shapes: btrfs" >&2
truncate -s "$size" "$tmp/btrfs.img"
mkfs.btrfs -q -f --rootdir "$tmp/tree" "$tmp/btrfs.img" >/dev/null
learn "$tmp/btrfs.img" -o "$out/btrfs.shape"
note btrfs "mkfs.btrfs --rootdir TREE on a $size sparse file"
rm -f "$tmp/btrfs.img"
fi

# A whole disk: GPT, a 1 GiB ext4 /boot-like partition holding TREE/doc, and an xfs partition with
# the whole tree in the rest. ext4 is made in place (mke2fs -E offset); xfs in its own file, then
# copied in with dd conv=sparse (all-zero blocks stay holes, as a fresh disk's would).
if want gpt; then
echo "make-shapes: gpt" >&2
truncate -s "$size" "$tmp/gpt.img"
sgdisk -o -n 1:2048:+1G -t 1:8300 -c 1:boot -n 2:0:0 -t 2:8300 -c 2:root "$tmp/gpt.img" >/dev/null 2>&1
p1=$((2048 * 512))
p2=$(($(sgdisk -i 2 "$tmp/gpt.img" | awk '/First sector/ {print $3}') * 512))
p2end=$((($(sgdisk -i 2 "$tmp/gpt.img" | awk '/Last sector/ {print $3}') + 1) * 512))
mke2fs -q -t ext4 -F -E offset=$p1 -d "$tmp/tree/doc" "$tmp/gpt.img" 1G
truncate -s $((p2end - p2)) "$tmp/root.img"
mkfs.xfs -q -f -p "$tmp/proto" "$tmp/root.img"
dd if="$tmp/root.img" of="$tmp/gpt.img" bs=1M seek=$((p2 / 1048576)) conv=sparse,notrunc status=none
rm -f "$tmp/root.img"
learn "$tmp/gpt.img" -o "$out/gpt.shape"
note gpt "sgdisk GPT, p1 1G ext4 (mke2fs -E offset -d TREE/doc), p2 xfs -p PROTOFILE (TREE), $size sparse file"
rm -f "$tmp/gpt.img"
fi

printf '%s\n' ext4 xfs btrfs gpt >"$out/index"
echo "make-shapes: wrote $(ls "$out")" >&2
