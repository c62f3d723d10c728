"""Blocks → the draft plan: header, body outline, task tables, duties and reporting obligations."""

from __future__ import annotations

import re

from .blocks import Block, Para, Table, clean
from .duties import duty_tasks
from .metadata import implemented_documents, read_header
from .model import DraftTask, PlanDraft, PlanMeta, ReportingObligation
from .outline import Node, build_outline
from .outline_tasks import section_kind, section_tasks
from .reporting import obligations_from_tasks, obligations_in_section
from .table_tasks import table_tasks
from .task_fields import RawTask, build_task
from .units import UnitReader, _Directory

_CLOSING = re.compile(r"^(?:Nơi nhận|TM\.|KT\.|Trên đây là)", re.IGNORECASE)
_APPENDIX = re.compile(r"^PHỤ LỤC\b")
_MENTIONS_APPENDIX = re.compile(r"phụ lục", re.IGNORECASE)


def understand(blocks: list[Block], directory: _Directory | None) -> PlanDraft:
    """Read a plan's blocks into the draft the contract describes."""
    paras, tables = _split(blocks)
    header = read_header(paras)
    units = UnitReader(directory)
    issuer = units.one(header.issuer_text) if header.issuer_text else None
    units.context = issuer.unit if issuer else None
    body = _body(paras, header.title_index)
    outline = build_outline(body)
    raw, sections = _outline_tasks(outline)
    for k, table in enumerate(tables, start=1):
        rows = table_tasks(table, "PL" if k == 1 else f"PL{k}")
        raw.extend(rows or [])
    tasks = [build_task(r, units) for r in raw]
    reporting = obligations_from_tasks(tasks, issuer)
    for section in sections:
        reporting.extend(obligations_in_section(section, units))
    preamble = " ".join(body[: _first_section(body)]) + " " + (header.title or "")
    warnings = list(header.warnings) + _warnings(tasks, tables, body)
    meta = PlanMeta(
        title=header.title,
        issuer=issuer,
        number=header.number,
        issued_on=header.issued_on,
        implements=implemented_documents(preamble),
    )
    return PlanDraft(plan=meta, tasks=tasks, reporting=_dedupe(reporting), warnings=warnings)


def _split(blocks: list[Block]) -> tuple[list[str], list[Table]]:
    paras: list[str] = []
    tables: list[Table] = []
    for block in blocks:
        if isinstance(block, Para):
            if block.text:
                paras.append(block.text)
        elif _is_task_table(block):
            tables.append(block)
        else:  # layout tables (header, signature) are read as their paragraphs
            paras.extend(clean(p) for row in block.rows for cell in row for p in cell.split("\n") if clean(p))
    return paras, tables


def _is_task_table(table: Table) -> bool:
    return table_tasks(table, "PL") is not None


def _body(paras: list[str], title_index: int) -> list[str]:
    body: list[str] = []
    for text in paras[title_index + 1 :]:
        if _CLOSING.match(text) or _APPENDIX.match(text):
            break
        body.append(text)
    return body


def _first_section(body: list[str]) -> int:
    for i, text in enumerate(body):
        if re.match(r"^(?:PHẦN\s+|Phần\s+)?[IVX]{1,5}\s*[.)]", text):
            return i
    return min(len(body), 3)


def _outline_tasks(outline: Node) -> tuple[list[RawTask], list[Node]]:
    raw: list[RawTask] = []
    sections = [n for n in outline.children if n.kind == "roman"] or [outline]
    for section in sections:
        kind = section_kind(section.text) if section is not outline else "tasks"
        prefix = section.number
        if kind == "tasks":
            raw.extend(section_tasks(section, prefix))
        elif kind in ("organization", "budget"):
            raw.extend(duty_tasks(section, prefix, budget=kind == "budget"))
    return raw, sections


def _warnings(tasks: list[DraftTask], tables: list[Table], body: list[str]) -> list[str]:
    out: list[str] = []
    if not tables and any(_MENTIONS_APPENDIX.search(t) for t in body):
        out.append(
            "Văn bản nhắc tới Phụ lục nhiệm vụ nhưng không tìm thấy bảng Phụ lục trong tệp; "
            "vui lòng tải lên cả Phụ lục hoặc bổ sung nhiệm vụ."
        )
    if not tasks:
        out.append("Không tìm thấy nhiệm vụ nào trong văn bản.")
    return out


def _dedupe(items: list[ReportingObligation]) -> list[ReportingObligation]:
    seen: set[str] = set()
    out: list[ReportingObligation] = []
    for item in items:
        key = item.model_dump_json()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
