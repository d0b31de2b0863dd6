from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive.markdown import render_markdown

from .base import EditorialModel, EditorialQuerySet, PlainText, editorial_permissions, identifier_field
from .events import Event
from .search import search_indexes, search_vector_field
from .sources import Source


class CommentaryKind(models.TextChoices):
    CONTEXT = "context", _("Historical context")
    TEXTUAL = "textual", _("Textual note")
    TRANSLATION = "translation", _("Translation note")
    EDITORIAL = "editorial", _("Editorial note")


class CommentaryQuerySet(EditorialQuerySet):
    def published(self, now=None):
        """Published, and about a source or event that the public may see too (by `now`, default the present)."""
        # EXISTS, not IN: an IN over a nullable column cannot be hashed, and PostgreSQL then reads every
        # published source for each note (a second per event page at a million sources).
        return (
            super()
            .published(now)
            .filter(
                Exists(Source.objects.published(now).filter(pk=OuterRef("source_id")))
                | Exists(Event.objects.published(now).filter(pk=OuterRef("event_id")))
            )
        )


class Commentary(PlainText, EditorialModel):
    identifier = identifier_field(
        help_text=_(
            "A short reference for this note that you choose, e.g. C-1936-PROTOCOL-CONTEXT: what the note is "
            "about and what kind it is. Keep it once the note is published: CSV re-imports find the note by it."
        )
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commentary",
        help_text=_("The document this note is about. Give a source or an event, not both."),
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commentary",
        help_text=_("The event this note is about. Give a source or an event, not both."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CommentaryKind.choices, default=CommentaryKind.CONTEXT)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(
        _("text"), help_text=_("Markdown: *italic*, **bold**, [links](https://…), lists. Raw HTML is removed.")
    )
    body_html = models.TextField(_("rendered text"), blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="commentary",
        help_text=_("The account responsible for this note."),
    )
    signature = models.CharField(
        _("signature"), max_length=255, help_text=_("The name as printed under the note, e.g. A. V. Ivanova.")
    )
    references = models.TextField(_("references"), blank=True, help_text=_("Works cited, one per line."))

    search_vector = search_vector_field(("title", "A"), ("body", "B"), ("signature", "C"))

    objects = CommentaryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = search_indexes("commentary", "title")
        verbose_name = _("commentary")
        # The same word in English, not in Russian (комментарий, комментарии): a msgid of its own.
        verbose_name_plural = pgettext_lazy("plural", "commentary")
        permissions = editorial_permissions("commentary")
        constraints = [
            *EditorialModel._meta.constraints,
            models.CheckConstraint(
                condition=Q(source__isnull=False, event__isnull=True) | Q(source__isnull=True, event__isnull=False),
                name="archive_commentary_exactly_one_target",
            ),
            models.CheckConstraint(condition=Q(kind__in=CommentaryKind.values), name="archive_commentary_kind_valid"),
        ]

    def __str__(self):
        return self.title

    @property
    def target(self):
        return self.source or self.event

    def get_absolute_url(self):
        target = self.target
        return f"{target.get_absolute_url()}#commentary-{self.pk}" if target else reverse("archive:home")

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self._has_target("source") == self._has_target("event"):
            raise ValidationError(_("A commentary is about exactly one source or one event."))

    def _has_target(self, name: str) -> bool:
        """A source or event is given, as a key or as the object itself: a note typed under a new source is
        checked before that source is saved and has a key."""
        return getattr(self, f"{name}_id") is not None or getattr(self, name) is not None

    def save(self, *args, **kwargs):
        # The stored HTML is a cache of the sanitised Markdown; it is sanitised again on display.
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)
