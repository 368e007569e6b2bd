"""Checks that the Prometheus text parser reads the fixtures exactly as the
reference parser in Python's prometheus_client does: the same samples, with
the same names, labels and values, and no errors.

    cargo build --example exposition_json
    python3 tests/crosscheck/prometheus_reference.py [EXPOSITION_JSON_BINARY]
"""
import json
import math
import subprocess
import sys
from prometheus_client.parser import text_string_to_metric_families

FIXTURES = ["tests/fixtures/source-controller.prom", "tests/fixtures/kustomize-controller-busy.prom"]


def value(v):
    if v in ("+Inf", "-Inf", "NaN"):
        return v
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return float(v)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/examples/exposition_json"
    failed = False
    for path in FIXTURES:
        text = open(path, encoding="utf-8").read()
        reference = {(s.name, tuple(sorted(s.labels.items())), value(s.value)) for f in text_string_to_metric_families(text) for s in f.samples}
        parsed = json.loads(subprocess.run([binary, path], capture_output=True, text=True, check=True).stdout)
        ours = {(s["name"], tuple(sorted(s["labels"].items())), value(s["value"])) for f in parsed["families"] for s in f["samples"]}
        only_ref, only_ours = reference - ours, ours - reference
        print(f"{path}: {len(reference)} samples in the reference, {len(ours)} here, {len(only_ref)} only there, {len(only_ours)} only here, {len(parsed['errors'])} errors")
        for x in sorted(only_ref)[:5]:
            print("  only in the reference:", x)
        for x in sorted(only_ours)[:5]:
            print("  only here:", x)
        failed |= bool(only_ref or only_ours or parsed["errors"])
    return 1 if failed else 0


sys.exit(main())
