import pytest

from archive.models import AgentKind, AgentRole, SourceAgent
from tests.factories import AgentFactory, LanguageFactory, RepositoryFactory, SourceFactory

FRUS = "Foreign Relations of the United States, Diplomatic Papers: The Soviet Union, 1933-1939, document 299"


@pytest.fixture
def telegram(db):
    """Bullitt's Telegram No. 76 from Moscow, dated only as the day after Stalin's interview with Roy Howard
    (1 March 1936). The original is in the US National Archives; its place there is not given here."""
    nara = RepositoryFactory(
        code="NARA",
        abbreviation_original="",
        name="National Archives and Records Administration",
        name_original="",
        city="",
        city_original="",
    )
    source = SourceFactory(
        identifier="FRUS-1933-39-d299",
        title="Telegram No. 76, Bullitt (Moscow) to the Secretary of State",
        title_original="",
        repository=nara,
        date_edtf="1936-03-02?",
        date_text="",
        publication=FRUS,
        published=True,
    )
    agent = AgentFactory(name="Bullitt, William C.", kind=AgentKind.PERSON)
    SourceAgent.objects.create(source=source, agent=agent, role=AgentRole.CREATOR)
    source.languages.add(LanguageFactory(code="en", name="English"))
    return source
