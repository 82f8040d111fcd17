#!/usr/bin/env bash
# Maintains the public API baseline of the OpaeSharp library (src/OpaeSharp/PublicAPI.*.txt),
# which Microsoft.CodeAnalysis.PublicApiAnalyzers checks on every build: public API missing from
# the files is error RS0016, API listed there but gone is error RS0017.
#
#   eng/public-api.sh            declare the public API added since the baseline: appends it to
#                                PublicAPI.Unshipped.txt (the analyzer's own code fix, applied by
#                                dotnet format)
#   eng/public-api.sh --ship     at a release: move PublicAPI.Unshipped.txt into PublicAPI.Shipped.txt
#                                (its *REMOVED* lines delete their entries from the shipped file)
#   eng/public-api.sh --reset    make the baseline the current public API: Shipped = all of it,
#                                Unshipped empty (after a merge that reshaped the API on purpose)
#
# Removing or changing shipped API is a breaking change: RS0017 stops the build until the entry is
# moved to PublicAPI.Unshipped.txt as "*REMOVED*<entry>". See CONTRIBUTING.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
project="$root/src/OpaeSharp/OpaeSharp.csproj"
shipped="$root/src/OpaeSharp/PublicAPI.Shipped.txt"
unshipped="$root/src/OpaeSharp/PublicAPI.Unshipped.txt"
header='#nullable enable'

mode=add
case "${1:-}" in
    "") ;;
    --ship) mode=ship ;;
    --reset) mode=reset ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "public-api.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
esac

# Entries of a PublicAPI file without its header, sorted the way the analyzer's code fix sorts.
entries() { grep -v -x -e "$header" -e '' "$1" | LC_ALL=C sort -u || true; }

write() { # file, entries on stdin
    { echo "$header"; cat; } >"$1.tmp" && mv "$1.tmp" "$1"
}

declare_new_api() {
    # RS0016's code fix adds every undeclared public symbol to PublicAPI.Unshipped.txt.
    dotnet format analyzers "$project" --diagnostics RS0016 --severity info -v:q
}

ship() {
    local removed
    removed=$(entries "$unshipped" | sed -n 's/^\*REMOVED\*//p')
    {
        entries "$shipped" | grep -v -x -F -f <(printf '%s\n' "$removed") || true
        entries "$unshipped" | grep -v '^\*REMOVED\*' || true
    } | LC_ALL=C sort -u | write "$shipped"
    : | write "$unshipped"
}

case $mode in
    add)
        declare_new_api
        ;;
    ship)
        ship
        ;;
    reset)
        : | write "$shipped"
        : | write "$unshipped"
        declare_new_api
        ship
        ;;
esac

dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly
echo "public API: $(entries "$shipped" | wc -l) shipped, $(entries "$unshipped" | wc -l) unshipped entries"
