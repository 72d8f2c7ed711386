#!/usr/bin/env bash
# Cold build times of hiyari on the machine it runs on, from empty build folders:
#   1. the README's run command (`cargo run -- audit --inventory <example>`), to its output;
#   2. then the test command's build in the same folder (`cargo test --workspace --no-run`),
#      which must compile no AWS SDK crate again;
#   3. the test command's lints in the same folder (`cargo clippy --all-targets`);
#   4. a release build (`cargo build --release`) in a folder of its own.
# It prints wall and CPU (user + sys) seconds per step, and how many times aws-sdk-ec2
# was compiled across steps 1 and 2.
#
#   bench/build.sh            the working tree
#   bench/build.sh REV        a clean checkout of git revision REV, for a before/after
#
# Downloads are done first (`cargo fetch`) and not counted. Each run takes tens of
# minutes on two cores; nothing else should be building meanwhile.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/hiyari-build-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ $# -ge 1 ]; then
  git -C "$root" worktree add --detach "$work/src" "$1" >/dev/null
  trap 'git -C "$root" worktree remove --force "$work/src"; rm -rf "$work"' EXIT
else
  mkdir "$work/src"
  git -C "$root" ls-files -z --cached --others --exclude-standard \
    | (cd "$root" && xargs -0 cp --parents -t "$work/src")
fi
src="$work/src"
label="$(git -C "$root" rev-parse --short "${1:-HEAD}")"
[ $# -ge 1 ] || label="$label+working-tree"
example=examples/inc-2015-leaked-root-key.inventory.json

(cd "$src" && cargo fetch --quiet)

# step NAME TARGET_DIR COMMAND...: runs COMMAND in the checkout, logs its output, and
# prints wall and CPU seconds.
step() {
  local name="$1" target="$2"; shift 2
  local log="$work/$name.log"
  (cd "$src" && CARGO_TARGET_DIR="$target" CARGO_TERM_COLOR=never \
    /usr/bin/time -f "%e %U %S" -o "$work/$name.time" "$@" >"$log" 2>&1) || {
      echo "$name failed; its output:" >&2; tail -30 "$log" >&2; exit 1; }
  read -r wall user sys <"$work/$name.time"
  awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { printf "%-34s %9.1f %9.1f\n", n, w, u + s }'
}

echo "hiyari cold build times: $label, $(nproc) cores"
printf '%-34s %9s %9s\n' "step" "wall s" "cpu s"
# The example has fails, so the audit exits 1: any report (exit 0, 1 or 3) is a success.
step "1 cargo run -- audit --inventory" "$work/target" \
  sh -c 'cargo run -- audit --inventory "$1"; r=$?; [ $r -le 3 ] && [ $r -ne 2 ]' sh "$example"
step "2 cargo test --no-run (after 1)" "$work/target" cargo test --workspace --no-run
step "3 cargo clippy --all-targets" "$work/target" cargo clippy --workspace --all-targets
step "4 cargo build --release" "$work/release" cargo build --release
ec2=$(cat "$work/1 cargo run -- audit --inventory.log" "$work/2 cargo test --no-run (after 1).log" \
  | grep -c "Compiling aws-sdk-ec2 " || true)
echo "aws-sdk-ec2 compiled in steps 1 and 2: $ec2 time(s)"
