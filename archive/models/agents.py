"""Authority records: repositories, agents, places, subjects and languages."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from archive.edtf import validate_edtf
from archive.links import slug_url

from .authorities import AuthorityQuerySet
from .base import PlainText, identifier_field, slug_field, transfer_permissions, wikidata_validator
from .search import icontains_indexes, search_indexes, search_vector_field


def name_variants_field() -> models.TextField:
    return models.TextField(
        _("name variants"),
        blank=True,
        help_text=_("Other spellings and transliterations, one per line (e.g. Choibalsan, Чойбалсан, Čojbalsan)."),
    )


def wikidata_field() -> models.CharField:
    return models.CharField(
        _("Wikidata item"),
        max_length=16,
        blank=True,
        validators=[wikidata_validator],
        help_text=_("The Wikidata QID, e.g. Q855 for Joseph Stalin. Leave empty if unsure."),
    )


class Repository(models.Model):
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Latin letters, digits, hyphens, underscores."))],
        help_text=_("Short Latin code used in identifiers and CSV files, e.g. RGASPI."),
    )
    abbreviation_original = models.CharField(
        _("abbreviation in the original language"),
        max_length=32,
        blank=True,
        help_text=_("As used in citations in the archive's language, e.g. РГАСПИ."),
    )
    name = models.CharField(_("name"), max_length=255, help_text=_("Name in English."))
    name_original = models.CharField(
        _("name in the original language"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Российский государственный архив социально-политической истории."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True, help_text=_("In English, e.g. Moscow."))
    city_original = models.CharField(
        _("city in the original language"),
        max_length=120,
        blank=True,
        help_text=_("As the archive's own language writes it, e.g. Москва."),
    )
    website = models.URLField(_("website"), blank=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")

    def __str__(self):
        return f"{self.code}: {self.name}"

    def get_absolute_url(self):
        return reverse("archive:repository-detail", kwargs={"code": self.code})


class Language(models.Model):
    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[a-z]{2,3}$", _("An ISO 639-1 or 639-3 code in lower case, e.g. ru or mn."))],
        help_text=_("ISO 639 code: ru, mn, en, ja…"),
    )
    name = models.CharField(_("name"), max_length=64, help_text=_("Name in English, e.g. Russian."))
    name_original = models.CharField(_("name in the language itself"), max_length=64, blank=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return f"{self.interface_name} ({self.code})"

    @property
    def interface_name(self) -> str:
        """The language's name in the interface language (see language_name)."""
        return language_name(self.code, self.name)


def language_name(code: str, english: str) -> str:
    """A language's name in the interface language: the English name in English; in another interface
    language, Django's translated name for a code Django knows (ru → Русский), else the English name."""
    current = translation.get_language() or "en"
    if current.startswith("en"):
        return english
    try:
        info = translation.get_language_info(code)
    except KeyError:
        return english
    return translation.gettext(info["name"])


class AgentKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Agent(PlainText, models.Model):
    identifier = identifier_field()
    slug = slug_field()
    kind = models.CharField(_("kind"), max_length=16, choices=AgentKind.choices, default=AgentKind.PERSON)
    name = models.CharField(_("name"), max_length=255, help_text=_("Preferred form in English, e.g. Stalin, Joseph."))
    name_original = models.CharField(
        _("name in the original language"),
        max_length=255,
        blank=True,
        help_text=_("As Russian sources give it, e.g. Сталин И. В."),
    )
    name_variants = name_variants_field()
    dates_text = models.CharField(
        _("dates as written"), max_length=64, blank=True, help_text=_("Life or existence dates, e.g. 1878-1953.")
    )
    dates_edtf = models.CharField(
        _("dates (EDTF)"),
        max_length=64,
        blank=True,
        validators=[validate_edtf],
        help_text=_("e.g. 1878/1953 for a person born 1878 who died 1953."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Who they were, in a few sentences."))
    wikidata = wikidata_field()

    search_vector = search_vector_field(
        ("name", "A"), ("name_original", "A"), ("name_variants", "A"), ("description", "B")
    )

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person or organisation")
        verbose_name_plural = _("people and organisations")
        permissions = transfer_permissions("agent")
        # The admin's search fields (curation/admin/authorities.py).
        indexes = [
            *icontains_indexes("agent", "identifier", "name", "name_original", "name_variants"),
            *search_indexes("agent", "name", "name_original", "name_variants"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AgentKind.values), name="archive_agent_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("archive:agent-detail", self.slug)


class Place(PlainText, models.Model):
    identifier = identifier_field()
    slug = slug_field()
    name = models.CharField(_("name"), max_length=255, help_text=_("Current name in English, e.g. Ulaanbaatar."))
    name_original = models.CharField(
        _("name in the original language"), max_length=255, blank=True, help_text=_("e.g. Улан-Батор.")
    )
    name_variants = name_variants_field()
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees, north positive."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees, east positive."),
    )
    wikidata = wikidata_field()

    search_vector = search_vector_field(("name", "A"), ("name_original", "A"), ("name_variants", "A"))

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        permissions = transfer_permissions("place")
        indexes = search_indexes("place", "name", "name_original", "name_variants")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="archive_place_coordinates_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("archive:place-detail", self.slug)

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))


class Subject(PlainText, models.Model):
    identifier = identifier_field()
    slug = slug_field()
    term = models.CharField(_("term"), max_length=255, unique=True, help_text=_("The controlled term in English."))
    term_original = models.CharField(_("term in Russian"), max_length=255, blank=True)
    scope_note = models.TextField(_("scope note"), blank=True, help_text=_("When to use this term."))

    search_vector = search_vector_field(("term", "A"), ("term_original", "A"), ("scope_note", "B"))

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["term"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        permissions = transfer_permissions("subject")
        indexes = search_indexes("subject", "term", "term_original")

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("archive:source-list") + f"?subject={self.slug}"
