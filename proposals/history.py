"""What changed, from django-simple-history records: each record compared with the one before it for the same
object (`diff_against`), fields named by their labels and values shown as people read them. Used by every page
that shows a history panel (proposal, reply and its rows). Reads only: the records, then one query per kind of
object they point to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .formatting import plain_decimal

# The values that say what a new object is, and what names it in a panel mixing several kinds of objects.
KEY_FIELDS = {
    "proposals.proposal": ["session", "number", "title", "category", "made_at", "submitted_on", "status"],
    "proposals.assignment": ["department", "role", "status", "assigned_on", "due_on", "hard_due_on"],
    "replies.reply": ["version", "doc_number", "reply_date", "category", "original_name", "parse_status"],
    "indicators.indicator": ["metric", "value", "unit", "year", "qualifier", "review_status"],
    "indicators.commitment": ["text", "deadline", "review_status", "follow_up_status"],
}
NAME_FIELDS = {
    "proposals.proposal": ["number"],
    "proposals.assignment": ["department", "role"],
    "replies.reply": ["doc_number", "version"],
    "indicators.indicator": ["metric", "value", "unit"],
    "indicators.commitment": ["text"],
}
# bookkeeping and positions nobody reads as a change
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "parse_status_at", "pages_done", "sha256", "file", "start", "end",
                 "sentence", "text_hash"}
SHORT = 60


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime
    user: object
    kind: str  # "+" created, "~" changed, "-" deleted
    kind_label: str
    object_label: str
    changes: list[Change] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)  # key values of a created object


def history_entries(histories: Iterable[models.QuerySet], *, limit: int = 100, depth: int = 500,
                    show_created: bool = True, terms=None) -> list[HistoryEntry]:
    """The newest `limit` changes recorded in `histories` (querysets of historical records), newest first, each
    with what changed since the record before it; without creations if `show_created` is false (rows a parser
    made are not news, their review is); a proposal and its fields named in `terms`, its body's words. One query
    per queryset and per kind of object pointed to."""
    words = _words(terms)
    records = []
    for queryset in histories:
        records += list(queryset.select_related("history_user").order_by("-history_date", "-history_id")[:depth])
    labels = _foreign_labels(records)
    by_object = defaultdict(list)
    for record in records:
        by_object[(record.instance_type._meta.label_lower, record.id)].append(record)
    entries = []
    for (model_label, _pk), chain in by_object.items():
        chain.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in chain:
            entry = _entry(record, previous, model_label, labels, words)
            if entry is not None and (show_created or record.history_type != "+"):
                entries.append(entry)
            previous = record
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _words(terms) -> dict:
    """The labels that name a proposal in its body's words (建议 第1号, 建议号, 建议内容), by (model, field)."""
    if terms is None:
        return {}
    proposal = "proposals.proposal"
    return {(proposal, None): terms.proposal, (proposal, "number"): terms.number, (proposal, "body"): terms.content,
            (proposal, "is_key"): terms.key_proposal,
            (proposal, "merged_into"): _("并入%(proposal)s") % {"proposal": terms.noun},
            ("proposals.assignment", "proposal"): terms.proposal}


def _entry(record, previous, model_label: str, labels, words) -> HistoryEntry | None:
    meta = record.instance_type._meta

    def label(name):
        return str(words.get((model_label, name), meta.get_field(name).verbose_name))

    kind = record.history_type
    entry = HistoryEntry(at=record.history_date, user=record.history_user, kind=kind,
                         kind_label={"+": _("新建"), "~": _("修改"), "-": _("删除")}.get(kind, kind),
                         object_label=_object_label(record, meta, model_label, labels,
                                                    words.get((model_label, None), meta.verbose_name)))
    if kind == "+" or (kind == "~" and previous is None):
        names = KEY_FIELDS.get(model_label) or [f.name for f in meta.concrete_fields if _shown(f)]
        entry.values = [(label(n), _display(record, meta.get_field(n), labels))
                        for n in names if _value(record, meta.get_field(n)) not in (None, "")]
        return entry
    if kind == "-":
        return entry
    delta = record.diff_against(previous)
    for change in delta.changes:
        model_field = meta.get_field(change.field)
        if not _shown(model_field):
            continue
        entry.changes.append(Change(field=change.field, label=label(change.field),
                                    old=_display(previous, model_field, labels),
                                    new=_display(record, model_field, labels)))
    return entry if entry.changes else None  # a save that changed only bookkeeping is not news


def _shown(model_field) -> bool:
    return (model_field.concrete and model_field.name not in HIDDEN_FIELDS
            and not isinstance(model_field, models.JSONField))


def _value(record, model_field):
    return getattr(record, model_field.attname, None)


def _display(record, model_field, labels) -> str:
    value = _value(record, model_field)
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return labels.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= SHORT else text[:SHORT] + "…"


def _object_label(record, meta, model_label, labels, name) -> str:
    parts = [_display(record, meta.get_field(n), labels) for n in NAME_FIELDS.get(model_label, [])]
    parts = [p for p in parts if p != "—"]
    if model_label == "proposals.proposal" and parts:
        parts = [_("第%(n)s号") % {"n": parts[0]}]
    if model_label == "replies.reply" and len(parts) == 2:
        parts[1] = f"v{parts[1]}"
    return f"{name} {' '.join(parts)}".strip()


def _foreign_labels(records) -> dict:
    """Names of the objects the records point to: one query per related model, whatever the number of records."""
    wanted = defaultdict(set)
    for record in records:
        for model_field in record.instance_type._meta.concrete_fields:
            if model_field.is_relation and _shown(model_field):
                value = _value(record, model_field)
                if value is not None:
                    wanted[model_field.related_model].add(value)
    labels = {}
    for model, pks in wanted.items():
        # select_related() follows the non-null foreign keys that __str__ reads (an assignment's proposal and
        # department, a session's committee)
        for obj in model._default_manager.select_related().filter(pk__in=pks):
            labels[(model, obj.pk)] = str(obj)
    return labels
