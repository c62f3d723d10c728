"""Paragraphs → the document's outline: sections, items, sub-items and bullets nested by their marks."""

from __future__ import annotations

from dataclasses import dataclass, field

from .markers import LEVEL, MarkKind, read_mark


@dataclass
class Node:
    """One marked paragraph and what nests under it; unmarked paragraphs are children of kind "text"."""

    kind: MarkKind
    number: str
    text: str
    children: list[Node] = field(default_factory=list)

    @property
    def level(self) -> int:
        """How deep the mark sits: Roman sections 1, free text 7."""
        return LEVEL[self.kind]

    def walk(self) -> list[Node]:
        """This node's descendants, depth first."""
        out: list[Node] = []
        for child in self.children:
            out.append(child)
            out.extend(child.walk())
        return out

    def body(self) -> str:
        """This node's own text followed by its descendants' texts."""
        return " ".join([self.text, *(n.text for n in self.walk())]).strip()


def build_outline(paragraphs: list[str]) -> Node:
    """Nest paragraphs by their marks; a root of kind "text" holds everything."""
    root = Node("text", "", "")
    root_level = 0
    stack: list[tuple[int, Node]] = [(root_level, root)]
    for para in paragraphs:
        mark = read_mark(para)
        node = Node(mark.kind, mark.number, mark.rest)
        if mark.kind == "text":
            stack[-1][1].children.append(node)
            continue
        while stack[-1][0] >= node.level:
            stack.pop()
        stack[-1][1].children.append(node)
        stack.append((node.level, node))
    return root
