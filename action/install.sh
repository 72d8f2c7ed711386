#!/usr/bin/env bash
# Installs a released hiyari binary for this runner, with no compilation: downloads the
# release archive of the runner's platform and its .sha256 file, refuses the archive
# unless its SHA-256 digest is the one published, unpacks it into RUNNER_TEMP and puts
# the binary on the PATH of the job's next steps. Part of the hiyari GitHub Action
# (action.yml); also usable alone.
#
# Environment: HIYARI_VERSION (`latest` or a version such as 0.2.0), HIYARI_REPOSITORY
# (owner/name on GitHub), HIYARI_RELEASES_URL (the releases' base URL, for a mirror;
# default https://github.com/OWNER/NAME/releases).
set -euo pipefail

version=${HIYARI_VERSION:-latest}
repository=${HIYARI_REPOSITORY:-hiyari-dev/hiyari}
base=${HIYARI_RELEASES_URL:-https://github.com/$repository/releases}
os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}

fail() {
  echo "::error title=hiyari install::$*"
  exit 1
}

# The release's archive for this platform (the targets of dist-workspace.toml).
case "$os/$arch" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-gnu ;;
  Linux/ARM64 | Linux/aarch64) target=aarch64-unknown-linux-gnu ;;
  macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
  macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) fail "hiyari publishes no binary for $os/$arch (Linux, macOS: X64, ARM64; Windows: X64)" ;;
esac
case "$target" in
  *windows*) archive=hiyari-$target.zip bin=hiyari.exe ;;
  *) archive=hiyari-$target.tar.xz bin=hiyari ;;
esac

case "$version" in
  latest) url=$base/latest/download ;;
  v[0-9]* | [0-9]*) url=$base/download/v${version#v} ;;
  *) fail "version must be \`latest\` or a release version such as 0.2.0, not \`$version\`" ;;
esac

tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
# Windows runners: bash (Git for Windows) wants /d/a/... paths, GITHUB_PATH D:\a\...
if command -v cygpath >/dev/null; then tmp=$(cygpath -u "$tmp"); fi
dir=$(mktemp -d "$tmp/hiyari.XXXXXX")
cd "$dir"
# HTTPS only; a file:// base (a local copy of a release) is the one other scheme.
proto='=https'
case "$base" in file://*) proto='=file' ;; esac
for f in "$archive" "$archive.sha256"; do
  curl --proto "$proto" --tlsv1.2 --fail --silent --show-error --location \
    --retry 3 --output "$f" "$url/$f" || fail "cannot download $url/$f"
done

# The .sha256 file holds `DIGEST  NAME` (or `DIGEST *NAME`).
want=$(awk 'NR == 1 { print tolower($1) }' "$archive.sha256")
[[ $want =~ ^[0-9a-f]{64}$ ]] || fail "$archive.sha256 holds no SHA-256 digest"
if command -v sha256sum >/dev/null; then
  have=$(sha256sum "$archive" | awk '{ print $1 }')
else
  have=$(shasum -a 256 "$archive" | awk '{ print $1 }')
fi
[ "$have" = "$want" ] || fail "$archive: SHA-256 $have, but the release publishes $want: not installed"
echo "hiyari: $archive matches its published SHA-256 $want"

mkdir unpacked
case "$archive" in
  *.zip)
    # Git for Windows' bash has unzip; 7-Zip is on GitHub's Windows images as well.
    if command -v unzip >/dev/null; then unzip -q "$archive" -d unpacked; else 7z x -y -ounpacked "$archive" >/dev/null; fi
    ;;
  *) tar -xJf "$archive" -C unpacked ;;
esac
found=$(find unpacked -type f -name "$bin" | head -n 1)
[ -n "$found" ] || fail "$archive holds no $bin"
chmod +x "$found"
bindir=$(cd "$(dirname "$found")" && pwd)
installed=$("$bindir/$bin" --version) || fail "the installed $bin does not run"
echo "hiyari: installed $installed ($target) in $bindir"
if [ -n "${GITHUB_PATH:-}" ]; then
  if command -v cygpath >/dev/null; then cygpath -w "$bindir" >>"$GITHUB_PATH"; else echo "$bindir" >>"$GITHUB_PATH"; fi
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "version=${installed#hiyari }"
    echo "path=$bindir/$bin"
  } >>"$GITHUB_OUTPUT"
fi
