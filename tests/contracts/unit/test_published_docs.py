"""The API descriptions in docs/ are the ones the code generates (regenerate with `dondoc docs`)."""

from __future__ import annotations

import pytest

from dondoc.platform.cli import render_docs
from tests.support import ROOT

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return render_docs()


def test_every_service_has_an_openapi_and_an_asyncapi_document(generated: dict[str, str]) -> None:
    names = {"intake", "tasks", "reporting", "notify"}
    assert set(generated) == {f"{kind}/{n}.json" for kind in ("openapi", "asyncapi") for n in names}


def test_the_committed_documents_are_current(generated: dict[str, str]) -> None:
    stale = [
        rel for rel, text in generated.items() if (DOCS / rel).read_text(encoding="utf-8") != text + "\n"
    ]
    assert not stale, f"docs/ is stale for {stale}: run `dondoc docs`"


def test_the_asyncapi_documents_name_the_product_topics(generated: dict[str, str]) -> None:
    assert '"plan.received"' in generated["asyncapi/intake.json"]
    for topic in ("task.assigned", "deadline.near", "report.due"):
        assert f'"{topic}"' in generated["asyncapi/tasks.json"]
