#!/usr/bin/env python3
# Writes fuzz seeds derived from a fixture into a corpus folder (run-fuzzer.sh):
#   make-seeds.py edtf TESTS_EXTRACTED_JSON OUTDIR   one file per EDTF expression
#   make-seeds.py zip KML OUTDIR                      the KML zipped as a KMZ
import hashlib
import json
import os
import sys
import zipfile


def expressions(node):
    """The expressions in python-edtf's test vectors: the first item of each
    example, or the example itself when it is a plain string."""
    if isinstance(node, dict):
        for value in node.values():
            yield from expressions(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, str):
                yield item
            elif isinstance(item, list) and item and isinstance(item[0], str):
                yield item[0]


def write(outdir, prefix, data):
    digest = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(outdir, f"{prefix}-{digest}"), "wb") as f:
        f.write(data)


def main():
    kind, source, outdir = sys.argv[1:4]
    if not os.path.exists(source):
        print(f"note: no seed at {source}")
        return
    if kind == "edtf":
        with open(source, encoding="utf-8") as f:
            for text in set(expressions(json.load(f))):
                write(outdir, "edtf", text.encode("utf-8"))
    elif kind == "zip":
        path = os.path.join(outdir, "kmz-" + os.path.basename(source) + ".kmz")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(source, "doc.kml")
    else:
        sys.exit(f"make-seeds.py: unknown kind {kind}")


main()
