#!/usr/bin/env bash
# Seeds the fuzz corpora from the repository's Dockerfiles: tests/corpus (BuildKit's parser tests and
# real files) and the conversion fixtures. Each seed gets an options byte in front (see
# fuzz_targets/convert.rs): 0x03 (auto target, non-root, comments) and, for every tenth, 0x07 (cache mounts).
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
mkdir -p corpus/convert
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    byte='\x03'
    [ $((n % 10)) -eq 0 ] && byte='\x07'
    { printf "$byte"; cat "$f"; } > "corpus/convert/seed-$n"
done < <(find "$root/tests/corpus" "$root/crates/slimfile-core/tests/fixtures/convert" -type f \
    ! -name '*.json' ! -name 'SOURCE' ! -name 'SOURCES' ! -name 'result' ! -name '*.toml' -print0 | sort -z)
echo "seeded $n files into corpus/convert"
