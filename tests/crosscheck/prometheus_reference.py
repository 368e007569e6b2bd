"""Checks the Prometheus text parser against the parser in Python's
prometheus_client: (1) both fixtures are read exactly as it reads them (the
same samples, names, labels and values, and no errors); (2) of 4,000 mutations
of the source-controller fixture, none is accepted here that it rejects (it is
far laxer than Go's parsers, so the other direction is expected and only counted).

    cargo build --example exposition_json --example verdicts
    python3 tests/crosscheck/prometheus_reference.py [TARGET_DIR]
"""
import json
import math
import random
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


PIECES = [" ", "\t", ",", "{}", "\"", "\\t", "\\n", "\\\\", "#", "\n", "NaN", "-1", "1e3", ".5", "=", "}", "{", "+Inf", "Inf", "0x1", "1_000"]


def mutations(n):
    base = open(FIXTURES[0], encoding="utf-8").read().split("\n")[:60]
    rnd = random.Random(3)
    for _ in range(n):
        lines = list(base)
        for _ in range(rnd.randrange(1, 3)):
            i = rnd.randrange(len(lines))
            line, k = lines[i], rnd.randrange(len(lines[i]) + 1)
            op = rnd.randrange(3)
            if op == 0:
                line = line[:k] + rnd.choice(PIECES) + line[k:]
            elif op == 1 and line:
                line = line[:k] + line[k + 1:]
            else:
                line = line[:k] + chr(rnd.randrange(32, 127)) + line[k:]
            lines[i] = line
        yield "\n".join(lines) + "\n"


def laxer_than_reference(verdicts):
    inputs = list(mutations(4000))
    ours = subprocess.run([verdicts, "--format", "prometheus"], input="\n".join(json.dumps(t) for t in inputs) + "\n",
                          capture_output=True, text=True, check=True).stdout.splitlines()
    laxer, stricter = [], 0
    for text, mine in zip(inputs, ours):
        try:
            list(text_string_to_metric_families(text))
            ref_ok = True
        except Exception:
            ref_ok = False
        mine_ok = json.loads(mine) == "ok"
        if mine_ok and not ref_ok:
            laxer.append(text)
        stricter += (not mine_ok) and ref_ok
    print(f"{len(inputs)} mutations: {len(laxer)} accepted here but rejected by the reference, {stricter} rejected here but accepted by it")
    for text in laxer[:3]:
        print("  accepted here:", repr(text[:200]))
    return bool(laxer)


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else "target/debug/examples"
    binary = f"{target}/exposition_json"
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
    failed |= laxer_than_reference(f"{target}/verdicts")
    return 1 if failed else 0


sys.exit(main())
