#!/bin/sh
# Rewrites the generated command reference in docs/cli.md (between its
# BEGIN GENERATED and END GENERATED lines) from `brink man --markdown`,
# which walks the command definitions: re-run it after adding or changing
# a command or an option. tests/cli_docs.rs fails until it is re-run.
#
#   scripts/cli-docs.sh                          # builds brink (release) first
#   BRINK=target/release/brink scripts/cli-docs.sh
set -eu
cd "$(dirname "$0")/.."
doc=docs/cli.md
if [ -z "${BRINK:-}" ]; then
    cargo build --release --quiet --bin brink
    BRINK=target/release/brink
fi
grep -q '^<!-- BEGIN GENERATED' "$doc" && grep -q '^<!-- END GENERATED' "$doc" || {
    echo "error: $doc has no <!-- BEGIN GENERATED ... --> / <!-- END GENERATED --> lines" >&2
    exit 2
}
generated=$(mktemp)
new=$(mktemp)
trap 'rm -f "$generated" "$new"' EXIT
"$BRINK" man --markdown > "$generated"
awk -v gen="$generated" '
    /^<!-- BEGIN GENERATED/ { print; print ""; while ((getline line < gen) > 0) print line; skip = 1; next }
    /^<!-- END GENERATED/ { skip = 0 }
    !skip { print }
' "$doc" > "$new"
if cmp -s "$new" "$doc"; then
    echo "$doc is up to date"
else
    cat "$new" > "$doc"
    echo "rewrote the command reference in $doc"
fi
