"""Parse time per document and per page, in-process, as a ratio against reading the file alone; and the
wall time of `dondoc parse` as a command on a 20-page plan.

Run: `.venv/bin/python bench/bench_parse.py [repeats]`.

In-process, for the seed plans and a generated 20-page plan in text, DOCX and PDF: "read" is the format
reader alone (bytes → paragraphs and tables: decoding, unzipping DOCX, PDF text extraction), "parse" is the
whole `parse_document` (reading included); the ratio parse / read says what understanding costs on top of
reading. Pages are the document's PDF pages, used for all three formats. Then the command, in a fresh
process each time (imports included), on the generated 20-page plan in each format.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from services.intake.parsing import parse_document
from services.intake.parsing.reader import read_blocks

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
DOCUMENTS = ROOT / "tests" / "fixtures" / "documents"
DONDOC = ROOT / ".venv" / "bin" / "dondoc"


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


def _child_cpu() -> float:
    """CPU seconds of the finished child processes so far (user + system)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _command(path: Path, repeats: int) -> tuple[float, float]:
    """Best wall time of `dondoc parse` in a fresh process, and its CPU time (steadier when shared)."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeats):
        started, used = time.perf_counter(), _child_cpu()
        subprocess.run([str(DONDOC), "parse", str(path)], capture_output=True, check=True)
        wall, cpu = min(wall, time.perf_counter() - started), min(cpu, _child_cpu() - used)
    return wall, cpu


def _pypdf_extraction(pdf: Path, repeats: int) -> float:
    """The reader the parser used before ADR 0076: pypdf's layout-mode extraction, every page."""
    from pypdf import PdfReader

    def extract() -> None:
        for page in PdfReader(pdf).pages:
            page.extract_text(extraction_mode="layout")

    return _best(extract, repeats)


def _plan_text(sections: int) -> str:
    """A made-up provincial plan: labelled task blocks, agency duties and an appendix table."""
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH AN LẠC\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 99/KH-UBND\tAn Lạc, ngày 02 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Thực hiện chương trình chuyển đổi số năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích: bảo đảm các nhiệm vụ được triển khai đồng bộ, hiệu quả.",
        "II. NHIỆM VỤ CỤ THỂ",
    ]
    for n in range(1, sections + 1):
        lines += [
            f"{n}. Triển khai nhóm nhiệm vụ số {n} về hạ tầng, dữ liệu và nền tảng số của tỉnh",
            "a) Nội dung: rà soát hiện trạng, xây dựng phương án, tổ chức triển khai và đánh giá kết quả "
            "thực hiện trên địa bàn các xã, phường theo lộ trình đã được phê duyệt.",
            "b) Cơ quan chủ trì: Sở Khoa học và Công nghệ.",
            "c) Cơ quan phối hợp: Sở Tài chính, Sở Nội vụ, UBND các xã, phường.",
            f"d) Thời gian: Quý {1 + n % 4}/2026.",
        ]
    lines += ["III. TỔ CHỨC THỰC HIỆN"]
    for n, unit in enumerate(("Sở Tài chính", "Sở Nội vụ", "Công an tỉnh", "Sở Y tế"), start=1):
        lines += [
            f"{n}. {unit}:",
            "- Chủ trì, phối hợp với các sở, ngành liên quan triển khai nhiệm vụ được giao.",
        ]
    lines += ["Định kỳ 6 tháng, các sở, ngành báo cáo kết quả về Sở Khoa học và Công nghệ.", "PHỤ LỤC"]
    lines += ["TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian"]
    lines += [
        f"{n}\tNhiệm vụ trọng tâm số {n}\tSở Khoa học và Công nghệ\tSở Tài chính\tNăm 2026"
        for n in range(1, 41)
    ]
    return "\n".join(lines) + "\n"


def _generated(folder: Path) -> list[Path]:
    """The 20-page plan as text and DOCX, and as PDF when LibreOffice is installed."""
    from docx import Document

    text = _plan_text(sections=60)
    txt = folder / "plan-20p.txt"
    txt.write_text(text, encoding="utf-8")
    document = Document()
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line and line[:1] in "T0123456789"]
    for line in text.splitlines():
        if "\t" not in line:
            document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=5)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    docx = folder / "plan-20p.docx"
    document.save(str(docx))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return [txt, docx]
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return [txt, docx, folder / "plan-20p.pdf"]


def _in_process(paths: list[Path], pages: int, repeats: int) -> None:
    for path in paths:
        data = path.read_bytes()
        parse_document(data, path.name)  # warm caches (directory load, lazy imports) outside the timing
        read = _best(partial(read_blocks, data, path.name), repeats)
        parse = _best(partial(parse_document, data, path.name), repeats)
        print(
            f"{path.name[:28]:28} {pages:>5} {read * 1000:9.1f} {parse * 1000:9.1f} "
            f"{parse * 1000 / pages:8.1f} {parse / read:6.2f}"
        )


def main() -> int:
    """Print one line per document and format, then the command's wall time on the 20-page plan."""
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3  # best of 3: make bench stays under 10 minutes
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'document':28} {'pages':>5} {'read ms':>9} {'parse ms':>9} {'ms/page':>8} {'ratio':>6}")
    for seed in sorted(SEEDS.glob("*.txt")):
        pages = _pages(DOCUMENTS / f"{seed.stem}.pdf")
        _in_process([seed, DOCUMENTS / f"{seed.stem}.docx", DOCUMENTS / f"{seed.stem}.pdf"], pages, repeats)
    with tempfile.TemporaryDirectory() as tmp:
        generated = _generated(Path(tmp))
        pdf = [p for p in generated if p.suffix == ".pdf"]
        pages = _pages(pdf[0]) if pdf else 20
        _in_process(generated, pages, repeats)
        if pdf:
            print(
                f"\nPDF text of the {pages}-page plan, same run: pdftotext (read_pdf) "
                f"{_best(partial(read_blocks, pdf[0].read_bytes(), pdf[0].name), repeats) * 1000:.0f} ms "
                f"(reading included), pypdf layout mode {_pypdf_extraction(pdf[0], repeats) * 1000:.0f} ms"
            )
        print(f"\n`dondoc parse` as a command, fresh process, best of {repeats} ({pages} pages):")
        for path in generated:
            wall, cpu = _command(path, repeats)
            verdict = "under 1 s" if wall < 1 else "over 1 s"
            print(f"  {path.suffix[1:]:5} {wall:6.2f} s (CPU {cpu:.2f} s) ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
