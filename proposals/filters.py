import re

import django_filters
from django import forms
from django.core.validators import EMPTY_VALUES
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from replies.models import Feedback, Reply

from .models import Assignment, Committee, Department, Proposal, Proposer, Session
from .querysets import HasWords, IdAmong
from .textsearch import query_words
from .vocabulary import terms_for, terms_for_user

SEARCH_SEPARATORS = re.compile(r"[\s,.;:!?'\"()\[\]{}<>/\\|+=*&^%$#@~`，。、；：！？“”‘’（）《》【】「」·…—]+")
MAX_SEARCH_TERMS = 8
# the kind of a row by its committee's body: a 政协's 提案 or a 人大's 建议
BODY_KINDS = [(Committee.Body.CPPCC, terms_for(Committee.Body.CPPCC).kind), (Committee.Body.NPC, terms_for(Committee.Body.NPC).kind)]


def search_terms(value: str) -> list[str]:
    """The words of a search, split on spaces and punctuation (〔〕 stay, they belong to a 文号); at most eight."""
    return [term for term in SEARCH_SEPARATORS.split(value or "") if term][:MAX_SEARCH_TERMS]


def search_placeholder(terms) -> str:
    """What the search box finds, in the words of the account's bodies: 建议号、案由、提出代表…"""
    return _("%(number)s、案由、%(proposers)s、答复文号或正文") % {"number": terms.number, "proposers": terms.proposers}


class PlainSelect(forms.Select):
    """A <select> written in Python: Django renders each <option> through a template, ~0.15 ms apiece, and the
    list shows 300 departments on every request."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        options = "".join(f'<option value="{escape(option)}"{" selected" if str(option) in chosen else ""}>'
                          f"{escape(label)}</option>" for option, label in self.choices)
        return mark_safe(f"<select{flatatt(self.build_attrs(self.attrs, {**(attrs or {}), 'name': name}))}>"
                         f"{options}</select>")


class BlanksLastOrderingFilter(django_filters.OrderingFilter):
    """Column sorting where a blank value (no lead department, so no 办理期限) comes last either way; ties keep the
    list's default order, so pages do not overlap."""

    blanks_last = ("lead_due_on",)

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        bare = param[1:] if descending else param
        name = self.param_map.get(bare, bare)
        if name in self.blanks_last:
            return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        return super().get_ordering_value(param)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param not in EMPTY_VALUES]
        return qs.order_by(*ordering, "-session_id", "number")


class ProposalFilter(django_filters.FilterSet):
    """The proposals list's filters; their state lives in the query string, so a view can be bookmarked."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")  # its placeholder: search_placeholder
    committee = django_filters.ModelChoiceFilter(label=_("委员会"), field_name="session__committee",
                                                 queryset=Committee.objects.none(), widget=PlainSelect)
    body = django_filters.ChoiceFilter(label=_("提案或建议"), field_name="session__committee__body",
                                       choices=BODY_KINDS, widget=PlainSelect)
    session = django_filters.ModelChoiceFilter(label=_("届次会议"), queryset=Session.objects.none(), widget=PlainSelect)
    department = django_filters.ModelChoiceFilter(label=_("承办单位"), queryset=Department.objects.only("name"),
                                                  method="filter_assignment", widget=PlainSelect)
    role = django_filters.ChoiceFilter(label=_("办理方式"), choices=Assignment.Role.choices, method="filter_assignment",
                                       widget=PlainSelect)
    category = django_filters.ChoiceFilter(label=_("类别"), choices=Proposal.Category.choices, widget=PlainSelect)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Proposal.Status.choices, widget=PlainSelect)
    overdue = django_filters.BooleanFilter(label=_("已超期"), method="filter_overdue",
                                           widget=forms.CheckboxInput)
    due_within = django_filters.NumberFilter(label=_("N天内到期"), method="filter_due_within", min_value=0,
                                             max_value=366)
    unresolved = django_filters.BooleanFilter(label=_("未解决"), method="filter_unresolved",
                                              widget=forms.CheckboxInput)
    is_key = django_filters.BooleanFilter(label=_("重点提案"), method="filter_key", widget=forms.CheckboxInput)
    proposer = django_filters.CharFilter(label=_("提案人"), method="filter_proposer")
    reply_category = django_filters.ChoiceFilter(label=_("答复类别"), choices=Reply.Category.choices,
                                                 method="filter_reply_category", widget=PlainSelect)
    satisfaction = django_filters.ChoiceFilter(label=_("满意度"), choices=Feedback.Rating.choices,
                                               method="filter_satisfaction", widget=PlainSelect)
    o = BlanksLastOrderingFilter(
        label=_("排序"),
        fields=[("number", "number"), ("title", "title"), ("submitted_on", "submitted_on"), ("status", "status"),
                ("lead_due_on", "lead_due_on"), ("session__opened_on", "session")],
    )

    class Meta:
        model = Proposal
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["session"].queryset = Session.objects.visible_to(user).select_related("committee")
        committees = Committee.objects.readable_by(user)
        if user is not None:
            terms = terms_for_user(user)
            self.filters["is_key"].label = terms.key_proposal
            self.filters["proposer"].label = terms.proposers
            self.filters["q"].extra["widget"] = forms.TextInput(attrs={"placeholder": search_placeholder(terms)})
        if user is not None and not user.reads_by_committee:
            self.filters["department"].queryset = Department.objects.filter(pk=user.department_id)
        else:
            self.filters["department"].queryset = Department.objects.visible_to(user).only("name")
        if committees.count() > 1:
            self.filters["committee"].queryset = committees
        else:  # one committee: the filter would only repeat it
            del self.filters["committee"]

    def chosen(self) -> dict[str, str]:
        """The filters in use, each as the words a reader recognises (省科技厅, 已超期, 30天内到期): an export's name."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        chosen = {}
        for name, value in self.form.cleaned_data.items():
            if name == "o" or value in EMPTY_VALUES or value is False:
                continue
            field = self.form.fields[name]
            if isinstance(value, Department):
                chosen[name] = value.short_name or value.name
            elif value is True:
                chosen[name] = str(field.label)
            elif name == "due_within":
                chosen[name] = _("%(n)s天内到期") % {"n": value}
            else:
                chosen[name] = str(dict(getattr(field, "choices", ())).get(value, value))
        return chosen

    # Every filter evaluates only what the user may see: a department's list answers for its own assignments,
    # replies and feedback, so no filter value tells it anything of another department's (tests/test_isolation.py).

    def _visible(self):
        return Assignment.objects.visible_among_proposals_to(self.user)

    def _assignments(self):
        """Assignments the user may see that are not returned: the filters on departments look only at these."""
        return self._visible().exclude(status=Assignment.Status.RETURNED).filter(proposal=OuterRef("pk"))

    def filter_search(self, queryset, name, value):
        """Every term must match (科技 创新 finds 科技创新): in the title, a proposer's name, the number, or the
        text or 文号 of a reply the user may see."""
        for term in search_terms(value):
            queryset = queryset.filter(self._term_matches(term))
        return queryset

    def _term_matches(self, term: str) -> Q:
        """The proposals a term matches, as ids from a union, not an OR across tables, so each side uses its index.
        The reply text is searched as in 答复检索: the term's jieba words (proposals.textsearch) must all be among
        the reply's stored words (GIN index reply_search_vector; 科技 finds 科技创新, stored with its parts 科技 and
        创新). A title holds a term of three characters or more as a substring (trigram index proposal_title_trgm);
        a shorter one has no trigram and is looked up as a word of the title (proposal_search_vector, weight A).
        The 文号 holds a term of three characters or more as a substring (reply_doc_number_trgm; for a shorter one
        that index returns every reply: 590 ms at 100 000 proposals), a proposer's name any term (5 000 members
        scan quickly), and the number is the term's digits."""
        number = term.removeprefix("第").removesuffix("号")
        number = int(number) if number.isascii() and number.isdigit() and len(number) < 10 else None
        replies = Reply.objects.visible_to(self.user) if self.user is not None else Reply.objects.all()
        ids = Proposer.objects.order_by().filter(member__name__icontains=term).values("proposal_id")
        # a number is a proposal's number, not words of the reply; single characters (第, 号) are in nearly every
        # reply, and requiring them made the index intersect 120 000 postings (1.4 s for 第135号)
        words = query_words(term)
        words = [word for word in words if len(word) > 1] or words
        if self._reads_every_reply():
            return self._listed_term_matches(term, number=number, words=words, proposers=ids, replies=replies)
        if words and number is None:
            ids = ids.union(replies.order_by().with_words(words).values("assignment__proposal_id"))
        if len(term) >= 3:
            ids = ids.union(Proposal.objects.order_by().filter(title__icontains=term).values("pk"),
                            replies.order_by().filter(doc_number__icontains=term).values("assignment__proposal_id"))
        else:
            ids = ids.union(Proposal.objects.order_by().with_title_words([term.lower()]).values("pk"))
        if number is not None:
            ids = ids.union(Proposal.objects.order_by().filter(number=number).values("pk"))
        return Q(pk__in=ids)

    def _reads_every_reply(self) -> bool:
        """The office's accounts read every reply of the proposals they see, so on PostgreSQL their terms are looked
        up in each proposal's own list_vector (its title's and replies' words, proposals migration 0017)."""
        return self.user is not None and self.user.reads_by_committee and connection.vendor == "postgresql"

    @staticmethod
    def _listed_term_matches(term: str, *, number, words, proposers, replies) -> Q:
        """_term_matches for an account that reads every reply: one OR of conditions on the proposal row, each
        with its index (list_vector, the title's trigrams, the primary key for the ids of names and 文号), which
        PostgreSQL combines as a bitmap OR within the committee's sessions: 50 ms for 科技 at 100 000 proposals,
        where the union of ids through the replies took 1.9 s."""
        found = Q(IdAmong(proposers))
        if words and number is None:
            found |= Q(HasWords(words, column="list_vector"))
        if len(term) >= 3:
            found |= Q(title__icontains=term) | Q(IdAmong(
                replies.order_by().filter(doc_number__icontains=term).values("assignment__proposal_id")))
        if number is not None:
            found |= Q(number=number)
        return found

    def filter_assignment(self, queryset, name, value):
        # department and role narrow the same assignment, so both are applied together in filter_queryset
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        department, role = self.form.cleaned_data.get("department"), self.form.cleaned_data.get("role")
        if department or role:
            assignments = self._assignments()
            if department:
                assignments = assignments.filter(department=department)
            if role:
                assignments = assignments.filter(role=role)
            queryset = queryset.filter(Exists(assignments))
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        late = self._visible().overdue(on=timezone.localdate()).filter(proposal=OuterRef("pk"))
        return queryset.in_handling().filter(Exists(late))

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        due = self._visible().due_within(int(value)).filter(proposal=OuterRef("pk"))
        return queryset.in_handling().filter(Exists(due))

    def filter_unresolved(self, queryset, name, value):
        return queryset.unresolved(assignments=self._visible()) if value else queryset

    def filter_key(self, queryset, name, value):
        return queryset.filter(is_key=True) if value else queryset

    def filter_proposer(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(Exists(Proposer.objects.filter(proposal=OuterRef("pk"),
                                                              member__name__icontains=value.strip())))

    def filter_reply_category(self, queryset, name, value):
        return queryset.filter(Exists(Reply.objects.visible_to(self.user).filter(assignment__proposal=OuterRef("pk"),
                                                                                  category=value)))

    def filter_satisfaction(self, queryset, name, value):
        return queryset.filter(Exists(Feedback.objects.visible_to(self.user).filter(
            reply__assignment__proposal=OuterRef("pk"), rating=value)))
