#!/bin/sh
# Draws the pictures README.md shows, with the gospice of this tree, from the
# repository's root. TestREADMEPictures (cmd/gospice) draws each again and fails when it
# differs from the committed file: after a change that moves a waveform, run
#
#     sh docs/pictures.sh
#
# and commit the pictures. Each command below is the one the README shows beside its
# picture (the test checks that too).
set -eu
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/gospice" ./cmd/gospice
gospice() { "$bin/gospice" "$@"; }

gospice plot netlists/neuron/5-refractory-period.cir 'v(g1)' 'v(g2)' 'v(g3)' \
    --xmin 185m --xmax 245m -o docs/neuron-refractory.png
