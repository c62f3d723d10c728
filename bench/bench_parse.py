"""Parse time per seed plan and format, against plain reading/extraction of the same file (the baseline).

Run: `.venv/bin/python bench/bench_parse.py [repeats]`. Prints ms per document and per page and the ratio
parse / baseline; the baseline reads the same bytes into blocks without understanding them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from services.intake.parsing import parse_document
from services.intake.parsing.reader import read_blocks

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
DOCUMENTS = ROOT / "tests" / "fixtures" / "documents"


def _pages(pdf: Path) -> int:
    """Pages of the document as printed: its PDF's page count, used for all three formats."""
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _best(fn: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Print one line per document and format."""
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"{'document':28} {'pages':>5} {'read ms':>9} {'parse ms':>9} {'ms/page':>8} {'ratio':>6}")
    for seed in sorted(SEEDS.glob("*.txt")):
        pages = _pages(DOCUMENTS / f"{seed.stem}.pdf")
        for path in (seed, DOCUMENTS / f"{seed.stem}.docx", DOCUMENTS / f"{seed.stem}.pdf"):
            data = path.read_bytes()
            parse_document(data, path.name)  # warm caches (directory load) outside the timing
            read = _best(partial(read_blocks, data, path.name), repeats)
            parse = _best(partial(parse_document, data, path.name), repeats)
            per_page = parse * 1000 / pages
            print(
                f"{path.name[:28]:28} {pages:>5} {read * 1000:9.1f} {parse * 1000:9.1f} {per_page:8.1f} "
                f"{parse / read:6.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
