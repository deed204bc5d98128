#!/bin/sh
# Regenerates plot/unifont.bin from GNU Unifont (Debian's unifont package,
# installed here when missing; needs root for apt-get): the glyphs of the
# Basic Multilingual Plane that the Go fonts lack.
#
#   sh plot/testdata/gen_unifont.sh      (from the repository root)
set -eu
cd "$(dirname "$0")/../.."
if [ ! -f /usr/share/unifont/unifont.hex ]; then
	apt-get install -y unifont
fi
go run ./plot/testdata/gen_unifont.go /usr/share/unifont/unifont.hex plot/unifont.bin
