"""Blocks → the draft plan: header, body outline, task tables, duties and reporting obligations."""

from __future__ import annotations

import re

from .arbiter import TaskTable, arbitrate
from .blocks import Block, Para, clean
from .metadata import implemented_documents, read_header
from .model import DraftTask, PlanDraft, PlanMeta, ReportingObligation, UnitRef
from .outline import build_outline
from .reporting import obligations_from_tasks, obligations_in_section
from .table_columns import columns_by_content, looks_numbered
from .table_tasks import header_columns, leading_text
from .task_fields import build_task
from .units import UnitReader, _Directory

_CLOSING = re.compile(r"^(?:Nơi nhận|TM\.|KT\.|Trên đây là)", re.IGNORECASE)
_APPENDIX = re.compile(r"^PHỤ LỤC\b")
_GUESSED = (
    "Bảng nhiệm vụ không có dòng tiêu đề; các cột (nhiệm vụ, chủ trì, phối hợp, thời gian) được nhận theo "
    "nội dung — vui lòng kiểm tra lại từng dòng."
)
_UNREAD_TABLE = (
    "Có bảng đánh số thứ tự nhưng không xác định được cột nhiệm vụ và cơ quan chủ trì; bảng này chưa được "
    "đọc thành nhiệm vụ — vui lòng kiểm tra hoặc nhập bằng tay."
)
_MENTIONS_APPENDIX = re.compile(r"phụ lục", re.IGNORECASE)


def understand(blocks: list[Block], directory: _Directory | None, uploader: str | None = None) -> PlanDraft:
    """Read a plan's blocks into the draft the contract describes."""
    paras, tables, table_warnings = _split(blocks)
    header = read_header(paras)
    units = UnitReader(directory)
    issuer = _issuer(header.issuer_text, uploader, units, directory)
    units.context = issuer.unit if issuer else uploader
    units.foreign = _foreign(issuer, header.issuer_text)
    body = _body(paras, header.title_index)
    outline = build_outline(body)
    year = header.issued_on.year if header.issued_on else None
    found = arbitrate(outline, tables)
    tasks = [build_task(r, units, year) for r in found.tasks]
    reporting = obligations_from_tasks(tasks, issuer)
    for section in found.sections:
        reporting.extend(obligations_in_section(section, units))
    preamble = " ".join(body[: _first_section(body)]) + " " + (header.title or "")
    warnings = (
        list(header.warnings) + table_warnings + found.warnings + _warnings(tasks, tables, body, reporting)
    )
    meta = PlanMeta(
        title=header.title,
        issuer=issuer,
        number=header.number,
        issued_on=header.issued_on,
        implements=implemented_documents(preamble),
    )
    return PlanDraft(plan=meta, tasks=tasks, reporting=_dedupe(reporting), warnings=warnings)


def _issuer(
    text: str | None, uploader: str | None, units: UnitReader, directory: _Directory | None
) -> UnitRef | None:
    """The issuer the header names; when it names none, the unit that uploaded its own plan."""
    if text:
        return units.one(text)
    if uploader:
        unit = getattr(directory, "get", lambda _code: None)(uploader)
        return UnitRef(text=getattr(unit, "name", uploader), unit=uploader)
    return None


def _foreign(issuer: UnitRef | None, text: str | None) -> bool:
    """A plan issued outside the directory's jurisdiction: its units are kept as written, never resolved."""
    if not text or issuer is None or issuer.unit is not None:
        return False
    return re.search(r"(?:tỉnh|thành phố|Thành phố)\s+(?!Hải Phòng)[A-ZĐ]", text) is not None


def _split(blocks: list[Block]) -> tuple[list[str], list[TaskTable], list[str]]:
    paras: list[str] = []
    tables: list[TaskTable] = []
    warnings: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            if block.text:
                paras.append(block.text)
            continue
        header = header_columns(block)
        if header is None and (header := columns_by_content(block)) is not None:
            warnings.append(_GUESSED)
        if header is None:  # layout tables (header, signature) are read as their paragraphs
            if looks_numbered(block):
                warnings.append(_UNREAD_TABLE)
            paras.extend(clean(p) for row in block.rows for cell in row for p in cell.split("\n") if clean(p))
            continue
        paras.extend(clean(p) for cell in leading_text(block, header) for p in cell.split("\n") if clean(p))
        tables.append(TaskTable(block, caption=paras[-4:], header=header))
    return paras, tables, warnings


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


def _warnings(
    tasks: list[DraftTask], tables: list[TaskTable], body: list[str], reporting: list[ReportingObligation]
) -> list[str]:
    out: list[str] = []
    if (
        tasks
        and not any(r.recurrence for r in reporting)
        and not any(t.timeframe.kind == "recurring" and t.title.lower().startswith("báo cáo") for t in tasks)
    ):
        out.append(
            "Kế hoạch không nêu tần suất báo cáo (hằng tháng, hằng quý, 6 tháng, hằng năm); lịch báo cáo sẽ "
            "không được lập tự động — vui lòng bổ sung kỳ báo cáo khi xác nhận kế hoạch."
        )
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
