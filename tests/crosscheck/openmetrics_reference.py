"""Differential check of the strict OpenMetrics parser against the reference
parser in Python's prometheus_client: mutates valid expositions (drop, repeat,
swap lines; insert spaces, escapes, bytes) and compares valid/invalid verdicts.

    pip install prometheus_client==0.26.0
    cargo build --example verdicts
    python3 tests/crosscheck/openmetrics_reference.py [N] [VERDICTS_BINARY]

Prints the disagreements, grouped by message. Exits 1 if this parser accepts
an input the reference rejects: a strict parser must not be laxer than the
reference. Where this parser rejects what the reference accepts, the
specification's ABNF decides; those differences are reported, and
KNOWN_DIFFERENCES lists why they exist.
"""
import json
import random
import subprocess
import sys
from collections import Counter
from prometheus_client.openmetrics.parser import text_string_to_metric_families

BASES = [
    "# TYPE a counter\n# HELP a help\na_total 1\na_created 1.5e9\n# EOF\n",
    "# TYPE h histogram\n# UNIT h_seconds seconds\nh_bucket{le=\"0.5\"} 1\nh_bucket{le=\"+Inf\"} 2 # {t=\"x\"} 0.1 1.5\nh_count 2\nh_sum 0.7\n# EOF\n".replace("h_seconds", "h"),
    "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.9\"} 2\ns_count 3\ns_sum 4\n# TYPE g gauge\ng{a=\"1\"} -1\ng{a=\"2\"} NaN\n# EOF\n",
    "# TYPE i info\ni_info{v=\"1\"} 1\n# TYPE st stateset\nst{st=\"a\"} 1\nst{st=\"b\"} 0\n# TYPE gh gaugehistogram\ngh_bucket{le=\"-1\"} 0\ngh_bucket{le=\"+Inf\"} 1\ngh_gcount 1\ngh_gsum -2\n# EOF\n",
    "# TYPE u unknown\nu{a=\"x\\\\y\\\"z\\n\"} 1 123\nu{a=\"y\"} +Inf 124.5\n# EOF\n",
]
PIECES = [" ", "  ", "\t", ",", "{}", "\"", "\\t", "\\n", "#", "# EOF\n", "\n", "_total", "_bucket", "le=\"+Inf\"", "NaN", "-1", "1e3", ".5", "\r"]

# (reference verdict, ours) pairs explained by the specification's ABNF.
KNOWN_DIFFERENCES = {
    "whitespace": "the ABNF has exactly one SP between tokens and none inside label sets; the reference is lenient",
    "escapes": "the ABNF allows only the escapes \\\\, \\\" and \\n; the reference passes others through",
    "duplicates": "a sample repeated with the same labels and timestamp is rejected here; the reference drops it",
    "comments": "the reference reads a line starting with '#}' or '#x' as if it were '# '",
}


def mutate(text, rnd):
    lines = text.split("\n")
    op = rnd.randrange(6)
    i = rnd.randrange(len(lines))
    if op == 0 and len(lines) > 1:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[rnd.randrange(len(lines))])
    elif op == 2:
        j = rnd.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        line = lines[i]
        k = rnd.randrange(len(line) + 1)
        if op == 3:
            line = line[:k] + rnd.choice(PIECES) + line[k:]
        elif op == 4 and line:
            line = line[:k] + line[k + 1:]
        else:
            line = line[:k] + chr(rnd.randrange(32, 127)) + line[k:]
        lines[i] = line
    return "\n".join(lines)


def reference(text):
    try:
        list(text_string_to_metric_families(text))
        return "ok"
    except Exception as e:  # the reference raises ValueError and others
        return "error: " + str(e).split(":")[0][:60]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rnd = random.Random(7)
    inputs = []
    for _ in range(n):
        text = rnd.choice(BASES)
        for _ in range(rnd.randrange(1, 3)):
            text = mutate(text, rnd)
        inputs.append(text)
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/debug/examples/verdicts"
    ours = subprocess.run([binary], input="\n".join(json.dumps(t) for t in inputs) + "\n",
                          capture_output=True, text=True, check=True).stdout.splitlines()
    differences = Counter()
    examples = {}
    for text, mine in zip(inputs, ours):
        mine = json.loads(mine)
        ref = reference(text)
        if (mine == "ok") != (ref == "ok"):
            key = ("reference accepts, ours rejects: " + mine.rsplit(" at ", 1)[0]) if ref == "ok" else ("ours accepts, reference rejects: " + ref)
            differences[key] += 1
            examples.setdefault(key, text)
    agree = n - sum(differences.values())
    print(f"{n} inputs, {agree} same verdicts, {n - agree} different")
    for key, count in differences.most_common():
        print(f"{count:5d}  {key}\n       e.g. {examples[key]!r}")
    laxer = sum(c for k, c in differences.items() if k.startswith("ours accepts"))
    print(f"accepted here but rejected by the reference: {laxer}")
    return 1 if laxer else 0


sys.exit(main())
