"""Build deploy/grafana/dashboards/dondoc.json: run `python deploy/grafana/build_dashboard.py` after editing.

The dashboard is generated rather than hand-edited so that every panel has the same shape and the
metric names live in one readable list; the committed JSON is what Grafana provisions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from panels import ROWS, Panel  # a sibling module: this file runs as a script

DATASOURCE_UID = "dondoc-prometheus"
DASHBOARD_UID = "dondoc-overview"
OUTPUT = Path(__file__).resolve().parent / "dashboards" / "dondoc.json"

JsonObject = dict[str, object]


def render_panel(panel: Panel, panel_id: int, x: int, y: int) -> JsonObject:
    """The Grafana JSON of one panel placed at (x, y)."""
    datasource = {"type": "prometheus", "uid": DATASOURCE_UID}
    targets = [
        {
            "datasource": datasource,
            "expr": expr,
            "legendFormat": legend,
            "refId": chr(ord("A") + i),
            "instant": panel.kind == "table",
            "range": panel.kind != "table",
        }
        for i, (expr, legend) in enumerate(panel.targets)
    ]
    custom: JsonObject = {}
    if panel.kind == "timeseries":
        custom = {
            "drawStyle": "line",
            "fillOpacity": 20 if panel.stack else 0,
            "lineWidth": 1,
            "stacking": {"mode": "normal" if panel.stack else "none", "group": "A"},
        }
    return {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": datasource,
        "gridPos": {"h": 8, "w": panel.width, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": panel.unit, "custom": custom}, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": True}},
        "targets": targets,
    }


def render_panels() -> list[JsonObject]:
    """Rows and their panels, laid out left to right on a 24-column grid."""
    panels: list[JsonObject] = []
    next_id, y = 1, 0
    for row in ROWS:
        panels.append(
            {
                "id": next_id,
                "type": "row",
                "title": row.title,
                "collapsed": False,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
                "panels": [],
            }
        )
        next_id, y, x = next_id + 1, y + 1, 0
        for panel in row.panels:
            if x + panel.width > 24:
                x, y = 0, y + 8
            panels.append(render_panel(panel, next_id, x, y))
            next_id, x = next_id + 1, x + panel.width
        y += 8
    return panels


def build_dashboard() -> JsonObject:
    """The whole dashboard, as Grafana's provisioning expects it."""
    service_variable = {
        "name": "service",
        "label": "Service",
        "type": "query",
        "datasource": {"type": "prometheus", "uid": DATASOURCE_UID},
        "query": {"query": 'label_values(up{job=~"dondoc-.+"}, service)', "refId": "service"},
        "definition": 'label_values(up{job=~"dondoc-.+"}, service)',
        "refresh": 2,
        "multi": True,
        "includeAll": True,
        "allValue": ".+",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "sort": 1,
    }
    return {
        "uid": DASHBOARD_UID,
        "title": "dondoc — services, events and reporting",
        "tags": ["dondoc"],
        "timezone": "Asia/Ho_Chi_Minh",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [service_variable]},
        "annotations": {"list": []},
        "panels": render_panels(),
    }


def render() -> str:
    """The dashboard as the exact text committed to dashboards/dondoc.json."""
    return json.dumps(build_dashboard(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    """Write the dashboard file, or with --check fail if the committed file is not what this builds."""
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != render():
            sys.stderr.write(f"{OUTPUT} is stale: run python deploy/grafana/build_dashboard.py\n")
            return 1
        return 0
    OUTPUT.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUTPUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
