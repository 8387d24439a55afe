"""Frozen value types of a parse result; `ParseResult.to_dict()` gives the JSON contract (eval/parse-result.md)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    """One normalisation edit: what was changed, into what, at which offset of the normalised text."""

    kind: str
    from_: str | None
    to: str | None
    at: int | None
    count: int = 1

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "from": self.from_, "to": self.to, "at": self.at}
        if self.count != 1:
            d["count"] = self.count
        return d


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Header:
    title: str | None = None
    doc_number: str | None = None
    committee: str | None = None
    session: str | None = None
    proposal_number: str | None = None
    addressee: str | None = None
    addressee_role: str | None = None
    proposal_title: str | None = None
    department: str | None = None
    reply_date: str | None = None
    category: str | None = None
    contact: str | None = None
    phone: str | None = None
    copies: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Item:
    path: str
    heading: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"path": self.path, "heading": self.heading, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Section:
    path: str
    heading: str
    start: int
    end: int
    items: tuple[Item, ...] = ()

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "heading": self.heading,
            "start": self.start,
            "end": self.end,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class Indicator:
    value: str
    unit: str
    base_value: str
    base_unit: str | None
    qualifier: str | None
    year: int | None
    is_target: bool
    metric: str | None
    sentence: str
    section: str | None
    start: int
    end: int
    source: str = "reply"  # "reply", "proposal" (a figure the proposal cites) or "quote" (a cited text)
    as_of: str | None = None  # the reply date (ISO) for a figure the text gives no year: a stock or running total

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Target:
    value: str
    unit: str
    qualifier: str | None

    def to_dict(self) -> dict:
        return {"value": self.value, "unit": self.unit, "qualifier": self.qualifier}


@dataclass(frozen=True)
class Commitment:
    text: str
    section: str | None
    markers: tuple[str, ...]
    targets: tuple[Target, ...]
    deadline: str | None
    start: int
    end: int

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "section": self.section,
            "markers": list(self.markers),
            "targets": [t.to_dict() for t in self.targets],
            "deadline": self.deadline,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class ParseResult:
    header: Header
    text: str
    sections: tuple[Section, ...] = ()
    opening: Span | None = None
    closing: Span | None = None
    indicators: tuple[Indicator, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    pages: int | None = None
    ocr: bool = False
    changes: tuple[Change, ...] = field(default=())

    def to_dict(self) -> dict:
        """The JSON-able dict of the parse-result contract; every required key is present."""
        return {
            "header": self.header.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "opening": self.opening.to_dict() if self.opening else None,
            "closing": self.closing.to_dict() if self.closing else None,
            "indicators": [i.to_dict() for i in self.indicators],
            "commitments": [c.to_dict() for c in self.commitments],
            "text": self.text,
            "pages": self.pages,
            "ocr": self.ocr,
            "changes": [c.to_dict() for c in self.changes],
        }
