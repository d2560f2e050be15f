"""The network diagram: services as nodes, "consumer reads contract of provider" as edges.

Drawn at build time as an SVG with a deterministic layered layout: providers that read
nothing on the left, services that both provide and read in the middle, pure consumers
on the right, each column sorted by name. Nodes are links to the service pages, edges
links to the contract page, each with a ``<title>`` for screen readers and tooltips.
Every name is escaped (:func:`html.escape`) before it enters the markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape

__all__ = ["Edge", "Network", "render_svg"]

_NODE_W = 190
_NODE_H = 40
_COL_GAP = 170
_ROW_GAP = 26
_MARGIN = 24
_MAX_LABEL = 24


@dataclass(frozen=True)
class Edge:
    """``consumer`` reads ``contracts`` that ``provider`` produces."""

    provider: str
    consumer: str
    contracts: tuple[str, ...]


@dataclass(frozen=True)
class Network:
    """Every service and every provider-to-consumer edge."""

    services: tuple[str, ...]
    edges: tuple[Edge, ...]

    def columns(self) -> list[list[str]]:
        """Services by column: provide only, provide and read, read only (or neither)."""
        provides = {e.provider for e in self.edges}
        reads = {e.consumer for e in self.edges}
        cols: list[list[str]] = [[], [], []]
        for name in sorted(self.services):
            if name in provides and name in reads:
                cols[1].append(name)
            elif name in reads:
                cols[2].append(name)
            else:
                cols[0].append(name)
        return [c for c in cols if c]


def _label(name: str) -> str:
    return name if len(name) <= _MAX_LABEL else name[: _MAX_LABEL - 1] + "…"


def render_svg(
    network: Network,
    *,
    service_href: Callable[[str], str],
    contract_href: Callable[[str], str],
) -> str:
    """The diagram as an inline ``<svg>`` element (deterministic)."""
    cols = network.columns()
    place: dict[str, tuple[int, int]] = {}
    for c, names in enumerate(cols):
        for r, name in enumerate(names):
            place[name] = (_MARGIN + c * (_NODE_W + _COL_GAP), _MARGIN + r * (_NODE_H + _ROW_GAP))
    rows = max((len(c) for c in cols), default=0)
    width = _MARGIN * 2 + max(len(cols), 1) * _NODE_W + max(len(cols) - 1, 0) * _COL_GAP
    height = _MARGIN * 2 + max(rows, 1) * (_NODE_H + _ROW_GAP) - _ROW_GAP
    out: list[str] = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="network" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            'aria-labelledby="network-title network-desc">'
        ),
        '<title id="network-title">Network of providers and consumers</title>',
        (
            f'<desc id="network-desc">{len(network.services)} services and '
            f"{len(network.edges)} provider-to-consumer links; each arrow points from a "
            "provider to a consumer that reads its contracts.</desc>"
        ),
        (
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
            'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
            'class="arrowhead"/></marker></defs>'
        ),
    ]
    for edge in network.edges:
        if edge.provider not in place or edge.consumer not in place:
            continue
        px, py = place[edge.provider]
        cx, cy = place[edge.consumer]
        x1, y1 = px + _NODE_W, py + _NODE_H // 2
        if cx > px:
            x2, y2 = cx, cy + _NODE_H // 2
            bend = (x2 - x1) // 2
            d = f"M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}"
        else:  # same column (or leftwards): loop out to the right and back
            x2, y2 = cx + _NODE_W, cy + _NODE_H // 2
            d = f"M {x1} {y1} C {x1 + 80} {y1}, {x2 + 80} {y2}, {x2} {y2}"
        text = f"{edge.consumer} reads {', '.join(edge.contracts)} from {edge.provider}"
        href = contract_href(edge.contracts[0]) if edge.contracts else "#"
        out.append(
            f'<a href="{escape(href)}" class="edge" aria-label="{escape(text)}">'
            f"<title>{escape(text)}</title>"
            f'<path d="{d}" marker-end="url(#arrow)"/></a>'
        )
    for name in sorted(place):
        x, y = place[name]
        out.append(
            f'<a href="{escape(service_href(name))}" class="node" '
            f'aria-label="service {escape(name)}">'
            f"<title>service {escape(name)}</title>"
            f'<rect x="{x}" y="{y}" width="{_NODE_W}" height="{_NODE_H}" rx="6"/>'
            f'<text x="{x + _NODE_W // 2}" y="{y + _NODE_H // 2 + 5}" '
            f'text-anchor="middle">{escape(_label(name))}</text></a>'
        )
    out.append("</svg>")
    return "\n".join(out)


def edges_from(
    reads: Iterable[tuple[str, str, str]], *, providers: Mapping[str, str | None]
) -> tuple[Edge, ...]:
    """Edges from ``(consumer, contract id, provider or "")`` rows: a row without a
    provider takes the contract's ``provider`` from ``providers``; a row with none at all
    draws no edge."""
    grouped: dict[tuple[str, str], set[str]] = {}
    for consumer, contract, named in reads:
        provider = named or providers.get(contract) or ""
        if provider and provider != consumer:
            grouped.setdefault((provider, consumer), set()).add(contract)
    return tuple(Edge(p, c, tuple(sorted(ids))) for (p, c), ids in sorted(grouped.items()))
