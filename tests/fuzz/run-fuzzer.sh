#!/usr/bin/env bash
# Runs one libFuzzer target as a test: first each saved regression input once,
# then fuzzing from a temporary copy of its seeds, so that nothing is written
# into the fixtures. A crash, a leak, a timeout (10 s on one input) or more than
# 2 GB of memory fails the test; the input that did it is kept in the artifacts
# folder.
#
# How long it fuzzes:
#   CHRONO_FUZZ_RUNS     inputs to try (unset: no limit but time)
#   CHRONO_FUZZ_SECONDS  the most time it may take (20 s by default)
#   CHRONO_FUZZ_SEED     libFuzzer's random seed (unset or 0: a new one each run)
# With a seed and a number of runs the run is the same each time on the same
# build: the test command uses that, so that its result does not depend on luck
# or on the speed of the machine (a slower machine stops earlier on the same path).
#
#   run-fuzzer.sh --max-len N --regressions DIR --artifacts DIR [--dict FILE] BINARY [SEED...]
#
# A SEED is a file, a folder of files, 'edtf:FILE' (one file per expression in
# python-edtf's test vectors) or 'zip:FILE' (FILE zipped as a KMZ's doc.kml).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
seconds=${CHRONO_FUZZ_SECONDS:-20}
runs=${CHRONO_FUZZ_RUNS:--1}
fuzz_seed=${CHRONO_FUZZ_SEED:-0}
max_len=4096 regressions= artifacts= dict=

while (($#)); do
  case $1 in
    --max-len) max_len=$2; shift 2 ;;
    --regressions) regressions=$2; shift 2 ;;
    --artifacts) artifacts=$2; shift 2 ;;
    --dict) dict=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "run-fuzzer.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
binary=${1:?usage: run-fuzzer.sh [options] BINARY [SEED...]}
shift
name=$(basename "$binary")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
corpus=$tmp/corpus
mkdir -p "$corpus"
if [[ -z $artifacts ]]; then
  artifacts=$tmp/artifacts
fi
mkdir -p "$artifacts"

n=0
add_seed () { # file
  n=$((n + 1))
  cp -- "$1" "$corpus/seed-$n-$(basename "$1")"
}
for seed in "$@"; do
  case $seed in
    edtf:*|zip:*)
      python3 "$here/make-seeds.py" "${seed%%:*}" "${seed#*:}" "$corpus" ;;
    *)
      if [[ -d $seed ]]; then
        while IFS= read -r -d '' f; do add_seed "$f"; done < <(find "$seed" -type f -print0 | sort -z)
      elif [[ -f $seed ]]; then
        add_seed "$seed"
      else
        echo "note: no seed at $seed"
      fi ;;
  esac
done
chmod -R u+w "$corpus"
if ((runs >= 0)); then
  echo "$name: $(find "$corpus" -type f | wc -l) seeds, $runs runs (at most $seconds s), seed $fuzz_seed"
else
  echo "$name: $(find "$corpus" -type f | wc -l) seeds, $seconds s, seed $fuzz_seed"
fi

# libFuzzer's own exit code, 77, would read as "skipped" to meson.
options=(-rss_limit_mb=2048 -timeout=10 -max_len="$max_len" -artifact_prefix="$artifacts/"
         -error_exitcode=1 -timeout_exitcode=1)
if [[ -n $dict ]]; then
  options+=(-dict="$dict")
fi

# What a target writes to a temporary file (fuzz-mbtiles) goes with the rest,
# even when it dies before it can clean up.
export TMPDIR=$tmp

status=0
# Inputs that once failed: each is run once; all must pass.
if [[ -n $regressions && -d $regressions ]]; then
  mapfile -d '' saved < <(find "$regressions" -type f ! -name '*.md' -print0 | sort -z)
  if ((${#saved[@]})); then
    echo "$name: ${#saved[@]} regression inputs"
    "$binary" "${options[@]}" "${saved[@]}" || status=$?
    if ((status)); then
      echo "$name: a regression input fails again (exit $status)"
      exit "$status"
    fi
  fi
fi

# libFuzzer stops itself after -max_total_time; the outer bound is for a
# process that hangs where libFuzzer cannot stop it (loading the seeds).
timeout -k 10 $((seconds * 4 + 120)) \
  "$binary" "${options[@]}" -max_total_time="$seconds" -runs="$runs" -seed="$fuzz_seed" -print_final_stats=1 "$corpus" || status=$?
if ((status)); then
  echo
  echo "$name failed (exit $status). The input is in $artifacts/;"
  echo "reproduce with: $binary $artifacts/<file>"
  echo "or run it again: CHRONO_FUZZ_SEED=$fuzz_seed CHRONO_FUZZ_RUNS=$runs CHRONO_FUZZ_SECONDS=$seconds $0 …"
  echo "Keep it in tests/fuzz/regressions/${name#fuzz-}/ (a name that says what it is), so that"
  echo "every run tries it again."
fi
# 77 would read as "skipped" to meson, whatever gave it.
((status == 77)) && status=1
exit "$status"
