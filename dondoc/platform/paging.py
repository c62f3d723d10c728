"""Lists never truncate silently, and unknown query parameters are refused rather than ignored.

A total and a link to the next page on list answers (RFC 8288).

The body stays the list it always was; `X-Total-Count` says how many match and `Link: <…>; rel="next"` where
the rest continues, so a ward system that reads only the body still gets what it got, and one that pages
gets everything.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

# Where a page starts. Bounded: an offset past any list's length is a mistake, and one past the database's
# integer range made the store fail (a 500 found by the fuzz suite) instead of answering 422.
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Where the page starts (0 for the first).")]
Limit = Annotated[int, Query(ge=1, le=1000, description="How many rows a page holds (at most 1000).")]


def announce_page(
    request: Request, response: Response, *, total: int, offset: int, limit: int, shown: int
) -> None:
    """Set the total and, when more rows match, the link to the next page."""
    response.headers["X-Total-Count"] = str(total)
    if offset + shown < total:
        following = request.url.include_query_params(offset=offset + shown, limit=limit)
        response.headers["Link"] = f'<{following}>; rel="next"'


# Pages read by browsers carry their own parameters (filters, "?sent=1"); the rule is for the JSON API.
_BROWSER_PAGES = ("/dashboard", "/workspace")


def known_parameters(route: APIRoute) -> set[str]:
    """The query parameters a route declares, its dependencies' included."""
    names: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(param.alias for param in dependant.query_params)
        pending.extend(dependant.dependencies)
    return names


async def refuse_unknown_parameters(request: Request) -> None:
    """An unknown query parameter ("?plan=" for "?plan_id=") is a 422 naming it, never silently ignored."""
    if not request.scope.get("query_string"):  # most requests carry none: nothing to look up
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.path.startswith(_BROWSER_PAGES):
        return
    known = known_parameters(route)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in known]
    if not unknown:
        return
    allowed = (
        f"các tham số được nhận: {', '.join(sorted(known))}."
        if known
        else "địa chỉ này không nhận tham số nào."
    )
    raise HTTPException(
        422,
        [
            {
                "field": name[:64],
                "message": f"Tham số «{name[:64]}» không được hỗ trợ; {allowed}",
                "type": "unknown_parameter",
            }
            for name in unknown
        ],
    )
