"""Similar proposals: the earlier proposals of any session that treat the same matter, for staff registering a
proposal and a member drafting one.

On PostgreSQL the title's and body's words (proposals.textsearch, jieba) are matched against each proposal's stored
tsvector (title weighted A, body B; GIN index `proposal_search_vector`) and ranked by ts_rank. Elsewhere (SQLite,
`make run`) a simpler match: titles containing any of the words, ranked by how many they contain."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, FloatField, Q
from django.db.models.expressions import RawSQL

from .models import Assignment, Proposal
from .textsearch import matter_words, tsquery_any

SIMILAR_LIMIT = 5
# Body words beyond the title's: enough to say what the body is about, few enough to keep the query fast.
BODY_TERMS = 12
# ts_rank weights for D, C, B, A: the body (B) counts 0.4 of the title (A).
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
SQLITE_CANDIDATES = 2000
CANDIDATE_ROWS = 3000


@dataclass
class SimilarProposal:
    proposal: Proposal
    lead_departments: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    commitments: int = 0
    commitments_kept: int = 0

    @property
    def commitments_all_kept(self) -> bool:
        return self.commitments > 0 and self.commitments_kept == self.commitments


def similar_terms(*, title: str, body: str = "") -> list[str]:
    """The words a similar proposal is looked up by: the title's, then the body's first few others."""
    terms = matter_words(title)
    extra = [w for w in matter_words(body) if w not in terms][:BODY_TERMS]
    return terms + extra


def _rarest_terms(terms: list[str]) -> list[str]:
    """The rarest terms whose proposals add up to at most CANDIDATE_ROWS (the rarest one at least): ranking every
    proposal with a common word (教育, 企业: 10 000 rows and more) took most of a second, and a proposal sharing only
    common words with the title ranks low anyway. Counts stop at CANDIDATE_ROWS + 1."""
    sql = ", ".join(["(SELECT count(*) FROM (SELECT 1 FROM proposals_proposal WHERE search_vector @@ "
                     "to_tsquery('simple', %s) LIMIT %s) AS found)"] * len(terms))
    params = [value for term in terms for value in (tsquery_any([term]), CANDIDATE_ROWS + 1)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        counts = cursor.fetchone()
    chosen, total = [], 0
    for count, term in sorted(zip(counts, terms, strict=True)):
        if count == 0:
            continue
        if chosen and total + count > CANDIDATE_ROWS:
            break
        chosen.append(term)
        total += count
    return chosen or terms[:1]


def similar_proposal_ids(*, user, title: str, body: str = "", exclude: int | None = None,
                         limit: int = SIMILAR_LIMIT) -> list[int]:
    """The ids of the proposals the user may see most similar to `title` and `body`, best first."""
    terms = similar_terms(title=title, body=body)
    if not terms:
        return []
    proposals = Proposal.objects.visible_to(user)
    if exclude:
        proposals = proposals.exclude(pk=exclude)
    if connection.vendor == "postgresql":
        rank = tsquery_any(terms)
        match = tsquery_any(_rarest_terms(terms))
        return list(
            proposals.filter(RawSQL("search_vector @@ to_tsquery('simple', %s)", [match], output_field=BooleanField()))
            .annotate(rank=RawSQL(f"ts_rank('{RANK_WEIGHTS}', search_vector, to_tsquery('simple', %s))", [rank],
                                  output_field=FloatField()))
            .order_by("-rank", "-pk").values_list("pk", flat=True)[:limit])
    title_terms = matter_words(title) or terms
    matching = Q()
    for term in title_terms:
        matching |= Q(title_words__contains=term)
    candidates = proposals.filter(matching).order_by("-pk").values_list("pk", "title_words", "body_words")
    scored = []
    for pk, title_words, body_words in candidates[:SQLITE_CANDIDATES]:
        in_title, in_body = set(title_words.split()), set(body_words.split())
        score = sum(1.0 if t in in_title else 0.4 if t in in_body else 0 for t in terms)
        scored.append((-score, -pk, pk))
    return [pk for _, _, pk in sorted(scored)[:limit]]


def similar_proposals(*, user, title: str, body: str = "", exclude: int | None = None,
                      limit: int = SIMILAR_LIMIT) -> list[SimilarProposal]:
    """The proposals most similar to `title` and `body` that the user may see, with their lead department,
    released replies and how many of those replies' commitments were kept, in a fixed number of queries."""
    from replies.models import Reply

    ids = similar_proposal_ids(user=user, title=title, body=body, exclude=exclude, limit=limit)
    if not ids:
        return []
    proposals = Proposal.objects.select_related("session__committee").in_bulk(ids)
    similar = {pk: SimilarProposal(proposal=proposals[pk]) for pk in ids}
    for assignment in (Assignment.objects.visible_to(user).lead().filter(proposal__in=ids)
                       .select_related("department").order_by("pk")):
        similar[assignment.proposal_id].lead_departments.append(assignment.department)
    replies = (Reply.objects.visible_to(user).filter(assignment__proposal__in=ids, released_at__isnull=False,
                                                     assignment__role__in=("lead", "separate"))
               .select_related("assignment__department").order_by("assignment__proposal", "-version"))
    for reply in replies:
        similar[reply.assignment.proposal_id].replies.append(reply)
    counts = (replies.order_by().values("assignment__proposal")
              .annotate(total=Count("commitments"),
                        kept=Count("commitments", filter=Q(commitments__follow_up_status="kept"))))
    for row in counts:
        entry = similar[row["assignment__proposal"]]
        entry.commitments, entry.commitments_kept = row["total"], row["kept"]
    return [similar[pk] for pk in ids]
