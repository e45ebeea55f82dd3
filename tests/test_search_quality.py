"""What a seeker's words find, and in what order: the board's search box and `/api/v1/jobs?q=`,
on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command

from models import migrate
from models.db import make_engine, make_session_factory
from models.ingest import upsert_postings
from models.search import matches
from models.tables import Job, Source
from tests.conftest import new_pg_database, store_postings
from tests.factories import raw_posting


@pytest.fixture
def post(session):
    """Ingest one posting with these fields through the real ingest path."""
    source = Source(kind="greenhouse", url="https://boards.example.com/seekers", company="Acme")
    session.add(source)
    session.commit()

    def add(**fields) -> None:
        fields.setdefault("description_html", "<p>Build things with a small team.</p>")
        fields.setdefault("tags", [])
        upsert_postings(session, [raw_posting(**fields)], source=source)

    return add


def found(client, q: str, sort: str = "relevance") -> list[str]:
    """The titles the API lists for q, in its order."""
    body = client.get("/api/v1/jobs", query_string={"q": q, "sort": sort}).get_json()
    return [job["title"] for job in body["items"]]


def test_a_city_or_work_setup_in_the_search_words_finds_the_jobs_there(client, post):
    post(title="Python Developer", location="Berlin, Germany", remote="onsite")
    post(title="Python Developer", location="Paris, France", remote="onsite")
    post(title="Data Engineer", location="Europe", remote="remote")
    post(title="Data Analyst", location="Europe", remote="onsite")
    assert found(client, "python berlin") == ["Python Developer"]
    assert found(client, "remote europe") == ["Data Engineer"]


def test_words_find_their_accented_spelling_and_back(client, post):
    post(title="ML Engineer", location="Zürich, Switzerland")
    post(title="Data Engineer", company="Müller Datenwerk", location="Vienna, Austria")
    assert found(client, "zurich") == ["ML Engineer"]
    assert found(client, "Zürich") == ["ML Engineer"]
    assert found(client, "muller") == ["Data Engineer"]


def test_an_accented_word_in_a_description_is_found_without_its_accents(client, post):
    post(title="Platform Engineer", description_html="<p>Send your résumé to our café.</p>")
    post(title="Data Engineer", description_html="<p>Send your CV.</p>")
    assert found(client, "resume cafe") == ["Platform Engineer"]
    assert found(client, "résumé") == ["Platform Engineer"]


def test_accents_sent_apart_from_their_letters_are_found_as_typed_and_without_them(client, post):
    post(title="Platform Engineer", location="Zu\u0308rich", description_html="<p>Caf\u00e9.</p>")
    post(title="Data Engineer", description_html="<p>Send your re\u0301sume\u0301.</p>")
    assert found(client, "zurich") == ["Platform Engineer"]
    assert found(client, "Zürich") == ["Platform Engineer"]
    assert found(client, "resume") == ["Data Engineer"]
    assert found(client, "re\u0301sume\u0301") == ["Data Engineer"]


def test_a_description_edited_to_carry_accents_is_found_without_them(client, post):
    post(external_id="edited", title="Platform Engineer", description_html="<p>Plain.</p>")
    post(external_id="edited", title="Platform Engineer", description_html="<p>In Zürich.</p>")
    assert found(client, "zurich") == ["Platform Engineer"]
    assert found(client, "plain") == []


def test_intern_finds_internships_and_not_every_job_that_mentions_internal_tools(client, post):
    post(title="Research Intern", description_html="<p>Join the team.</p>")
    post(title="Data Engineer", description_html="<p>A paid internship, six months.</p>")
    post(title="ML Engineer", description_html="<p>Build internal tools, internationally.</p>")
    for q in ("intern", "interns", "internship", "Internships"):
        assert sorted(found(client, q)) == ["Data Engineer", "Research Intern"], q
    assert found(client, '"internal tools"') == ["ML Engineer"]


def test_intern_finds_internships_by_title_type_or_level_and_not_internal_titles(client, post):
    """Both databases stem "internal" and "international" as "intern": a title that says
    them names no internship."""
    post(title="ML Intern")
    post(title="Research Internship")
    post(title="Machine Learning Researcher", employment_type="Internship")
    post(title="Working Student, Data Platform")  # a level of intern
    post(title="Internal Tools Engineer")
    post(title="International Sales Lead")
    expected = [
        "ML Intern",
        "Machine Learning Researcher",
        "Research Internship",
        "Working Student, Data Platform",
    ]
    for q in ("intern", "Interns", "internship"):
        assert sorted(found(client, q)) == expected, q
    assert sorted(found(client, "-intern")) == [
        "Internal Tools Engineer",
        "International Sales Lead",
    ]


def test_c_plus_plus_finds_the_cpp_jobs_and_not_the_c_sharp_ones(client, post):
    post(title="C++ Engineer", description_html="<p>Write fast C++.</p>")
    post(title="C# Developer", description_html="<p>Write C# on .NET.</p>")
    assert found(client, "c++") == ["C++ Engineer"]
    assert found(client, "C++ engineer", sort="newest") == ["C++ Engineer"]


def test_c_sharp_finds_the_c_sharp_jobs_and_not_the_cpp_ones(client, post):
    post(title="C++ Engineer", description_html="<p>Write fast C++.</p>")
    post(title="Backend Developer", description_html="<p>Write C# on .NET.</p>")
    assert found(client, "c#") == ["Backend Developer"]


def test_a_cpp_title_ranks_above_a_passing_mention(client, post):
    post(title="C++ Engineer", description_html="<p>Write fast code.</p>")
    post(title="Recruiter", description_html="<p>Hire people who know C++.</p>")
    assert found(client, "c++") == ["C++ Engineer", "Recruiter"]


def test_llms_finds_the_jobs_that_say_llm(client, post):
    post(title="LLM Engineer", description_html="<p>Fine-tune an LLM.</p>")
    post(title="Designer", description_html="<p>Figma.</p>")
    assert found(client, "llms") == ["LLM Engineer"]
    assert found(client, "LLMs") == ["LLM Engineer"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("k8s", "kubernetes"),
        ("ml", "machine learning"),
        ("NLP", "natural language processing"),
        ("fullstack", "full stack"),
        ("frontend", "front end"),
        ("backend", "back end"),
        ("HuggingFace", "Hugging Face"),
    ],
)
def test_two_spellings_of_one_skill_find_the_same_jobs(client, post, one, other):
    post(title="Platform Engineer", description_html=f"<p>Daily work with {one}.</p>")
    post(title="Infrastructure Engineer", description_html=f"<p>Daily work with {other}.</p>")
    post(title="Designer", description_html="<p>Figma.</p>")
    expected = ["Infrastructure Engineer", "Platform Engineer"]
    assert sorted(found(client, one)) == sorted(found(client, other)) == expected


def test_golang_finds_the_jobs_tagged_go_but_not_every_description_saying_go(client, post):
    post(title="Backend Engineer (Go)", tags=["Go"])
    post(title="Account Executive", description_html="<p>Own our go-to-market.</p>")
    assert found(client, "golang") == ["Backend Engineer (Go)"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ml", ["AI/ML Engineer"]),
        ("AI", ["AI/ML Engineer"]),
        ("machine learning", ["AI/ML Engineer"]),
        ("jax", ["AI/ML Engineer"]),
        ("AI/ML", ["AI/ML Engineer"]),
        ("ci/cd", ["Platform Engineer"]),
        ("deploy", ["Platform Engineer"]),
    ],
)
def test_words_joined_by_a_slash_are_found_each_on_its_own(client, post, q, expected):
    """PostgreSQL's parser reads "AI/ML" or "PyTorch/JAX" as one file path, which no word of
    a search matched there; SQLite's reads the words."""
    post(title="AI/ML Engineer", company="Acme", description_html="<p>Train in PyTorch/JAX.</p>")
    post(title="Platform Engineer", company="Acme", description_html="<p>CI/CD, deploy/undo</p>")
    assert found(client, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("full-stack", ["Full Stack Engineer", "ML Engineer, Full-Stack"]),
        ("computer-vision", ["Computer Vision Researcher"]),
        ("ml-engineer", ["ML Engineer, Full-Stack"]),
        ("full stack", ["Full Stack Engineer", "ML Engineer, Full-Stack"]),
        ("-full-stack", ["Computer Vision Researcher"]),
    ],
)
def test_words_joined_by_a_hyphen_find_them_written_apart_and_back(client, post, q, expected):
    """PostgreSQL's query of "full-stack" also asked for the compound, which "Full Stack"
    does not hold."""
    post(title="Full Stack Engineer")
    post(title="Computer Vision Researcher")
    post(title="ML Engineer, Full-Stack")
    assert sorted(found(client, q)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"c++ performance"', ["C++ Performance Engineer"]),
        ('"C# developer"', ["C# Developer"]),
        ("c/c++", ["Systems Engineer"]),
        ('-"c# developer"', ["C++ Performance Engineer", "Systems Engineer"]),
    ],
)
def test_c_plus_plus_or_c_sharp_within_a_phrase_finds_them(client, post, q, expected):
    post(title="C++ Performance Engineer")
    post(title="C# Developer")
    post(title="Systems Engineer", description_html="<p>Fluent in C/C++.</p>")
    assert sorted(found(client, q)) == expected


@pytest.mark.parametrize("q", ["'", "\\", "a'|b:*", "!(python", "<-> &", "python' | 'rust"])
def test_query_syntax_characters_are_words_to_search_never_syntax(client, post, q):
    post(title="Python Engineer")
    response = client.get("/api/v1/jobs", query_string={"q": q})
    assert response.status_code == 200
    assert client.get("/", query_string={"q": q}).status_code == 200


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request, tmp_path) -> Iterator[str]:
    """A migrated database for this test alone: it moves the schema down and up."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'own.db'}"
        migrate.upgrade(url)
        yield url
    else:
        with new_pg_database("jobboard_s") as url:
            yield url


def _found_in(url: str, q: str) -> list[str]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        dialect = session.get_bind().dialect.name
        titles = session.scalars(sa.select(Job.title).where(matches(dialect, q))).all()
    engine.dispose()
    return titles


def test_upgrading_past_0016_makes_stored_jobs_findable_by_their_place(own_database):
    store_postings(own_database, raw_posting(title="Engineer", location="Zürich"))
    command.downgrade(migrate.alembic_config(own_database), "0015_merged_jobs")
    assert _found_in(own_database, "zurich") == []  # as documents were written before
    migrate.upgrade(own_database)
    assert _found_in(own_database, "zurich") == ["Engineer"]


def test_upgrading_past_0017_makes_stored_c_sharp_jobs_findable(own_database):
    store_postings(own_database, raw_posting(title="C# Developer", tags=[]))
    command.downgrade(migrate.alembic_config(own_database), "0016_place_and_accents_in_search")
    assert _found_in(own_database, "c#") == []  # as documents were written before
    migrate.upgrade(own_database)
    assert _found_in(own_database, "c#") == ["C# Developer"]


def test_upgrading_past_0019_makes_intern_find_stored_internships_only(own_database):
    store_postings(
        own_database, raw_posting(title="ML Intern"), raw_posting(title="Internal Tools Engineer")
    )
    command.downgrade(migrate.alembic_config(own_database), "0018_salary_in_usd")
    assert _found_in(own_database, "intern") == []  # as documents were written before
    migrate.upgrade(own_database)
    assert _found_in(own_database, "intern") == ["ML Intern"]


def test_upgrading_past_0020_makes_stored_slash_joined_words_findable_on_postgresql():
    with new_pg_database("jobboard_s") as url:
        store_postings(url, raw_posting(title="AI/ML Engineer", description_html="<p>JAX</p>"))
        command.downgrade(migrate.alembic_config(url), "0019_internships_in_search")
        assert _found_in(url, "ml") == []  # as documents were written before
        migrate.upgrade(url)
        assert _found_in(url, "ml") == ["AI/ML Engineer"]
