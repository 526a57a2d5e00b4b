"""Run every benchmark in bench/ in sequence and print its output.

    PYTHONPATH=src python bench/run_all.py

Each benchmark runs in its own process (they set up their own environment) with
PYTHONPATH pointing at this checkout's src. Exits non-zero if any benchmark failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SRC = BENCH.parent / "src"
# Benchmarks that need their own venv (Presidio and spaCy live only in .venv-bench).
OWN_VENV = {"deid_eval.py": "make bench-deid"}
# Not benchmarks: the development sets' generators (make_*.py), their shared builder and
# the span dump/compare tool that proves a change to the engine neutral.
TOOLS = {"dev_doc.py", "deid_spans.py"}


def is_benchmark(path: Path) -> bool:
    return not (path.name.startswith(("_", "make_")) or path.name in TOOLS or path.name == Path(__file__).name)


def main() -> int:
    scripts = sorted(p for p in BENCH.glob("*.py") if is_benchmark(p))
    for script in [s for s in scripts if s.name in OWN_VENV]:
        print(f"== {script.name} skipped here (own venv): {OWN_VENV[script.name]}\n", flush=True)
    scripts = [s for s in scripts if s.name not in OWN_VENV]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], env=env, cwd=BENCH.parent, capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            failed.append(script.name)
            sys.stdout.write(proc.stderr)
            print(f"   {script.name} FAILED (exit {proc.returncode})")
        print(f"   ({time.perf_counter() - t0:.1f} s)\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    print(f"{len(scripts)} benchmarks ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
