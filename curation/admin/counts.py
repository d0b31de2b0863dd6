"""“5 sources”: a number of records with the noun in the form the number needs.

The admin writes a count as the number and the model's plural name ("5 документы"); Russian needs the noun
in one of three forms by the number (5 документов, 2 документа, 21 документ). Each model the admin shows
has its phrase here; any other is written as “Name: 5”, right whatever the number.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

COUNTED = {
    "archive.source": ngettext_lazy("%(counter)s source", "%(counter)s sources", "counter"),
    "archive.event": ngettext_lazy("%(counter)s event", "%(counter)s events", "counter"),
    "archive.unit": ngettext_lazy("%(counter)s unit of description", "%(counter)s units of description", "counter"),
    "archive.commentary": ngettext_lazy("%(counter)s commentary", "%(counter)s commentaries", "counter"),
    "archive.agent": ngettext_lazy(
        "%(counter)s person or organisation", "%(counter)s people and organisations", "counter"
    ),
    "archive.place": ngettext_lazy("%(counter)s place", "%(counter)s places", "counter"),
    "archive.subject": ngettext_lazy("%(counter)s subject", "%(counter)s subjects", "counter"),
    "archive.repository": ngettext_lazy("%(counter)s repository", "%(counter)s repositories", "counter"),
    "archive.language": ngettext_lazy("%(counter)s language", "%(counter)s languages", "counter"),
    "curation.importbatch": ngettext_lazy("%(counter)s import batch", "%(counter)s import batches", "counter"),
    "auth.user": ngettext_lazy("%(counter)s user", "%(counter)s users", "counter"),
    "auth.group": ngettext_lazy("%(counter)s group", "%(counter)s groups", "counter"),
    "axes.accessattempt": ngettext_lazy("%(counter)s access attempt", "%(counter)s access attempts", "counter"),
    "axes.accesslog": ngettext_lazy("%(counter)s access log", "%(counter)s access logs", "counter"),
    "axes.accessfailurelog": ngettext_lazy("%(counter)s access failure", "%(counter)s access failures", "counter"),
    "django_tasks_database.dbtaskresult": ngettext_lazy(
        "%(counter)s task result", "%(counter)s task results", "counter"
    ),
}


def counted(opts, number: int) -> str:
    """`number` records of the model whose options (Model._meta) are `opts`, in the interface language."""
    phrase = COUNTED.get(opts.label_lower)
    if phrase is None:
        return _("%(name)s: %(counter)s") % {"name": capfirst(opts.verbose_name_plural), "counter": number}
    return phrase % {"counter": number}
