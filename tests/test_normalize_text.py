"""Plain-text cleaning, comparison keys and slugs."""

import time

import pytest

from models.normalize import (
    clean_text,
    clean_title,
    company_slug,
    normalize_key,
    slugify,
    title_key,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Senior   ML Engineer  ", "Senior ML Engineer"),
        ("Line one\nline two", "Line one line two"),
        ("tab\tseparated", "tab separated"),
        ("nbsp\u00a0space", "nbsp space"),
        ("null\x00byte", "nullbyte"),
        ("bell\x07char", "bellchar"),
        ("zero\u200bwidth", "zerowidth"),
        ("bom\ufeffmark", "bommark"),
        ("\u202eevil\u202c.exe", "evil.exe"),
        ("\u2067isolated\u2069 text", "isolated text"),
        ("Zürich", "Zürich"),
        ("x", "x"),
        ("", None),
        ("   ", None),
        ("\x00\x01", None),
        (None, None),
    ],
)
def test_clean_text_collapses_whitespace_and_strips_controls(text, expected):
    assert clean_text(text) == expected


def test_clean_text_composes_a_letter_and_its_accent_sent_apart():
    assert clean_text("Zu\u0308rich, Sa\u0303o Paulo") == "Zürich, São Paulo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R&amp;D Engineer &#8211; LLMs", "R&D Engineer \u2013 LLMs"),
        ("Fish &amp; chips", "Fish & chips"),
        ("Caf&eacute; &#x27;Cr&egrave;me&#39;", "Caf\u00e9 'Cr\u00e8me'"),
        ("&amp;lt;b&amp;gt;", "&lt;b&gt;"),  # once: a literal "&lt;" stays one
        ("AT&T", "AT&T"),
        ("a&nbsp;&nbsp;b", "a b"),
        ("evil&#x202e;.exe", "evil.exe"),
        ("&#8203;", None),
    ],
)
def test_clean_text_decodes_html_character_references_once(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Engineer \U0001f469\u200d\U0001f4bb",  # woman technologist, one emoji
        "\U0001f3f3\ufe0f\u200d\U0001f308 friendly",  # rainbow flag
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with its non-joiner
        "\u0915\u094d\u200d\u0937",  # Devanagari half form
    ],
)
def test_clean_text_keeps_joiners_inside_words(text):
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u200d", None),
        ("\u200c\u200d \u200d", None),
        ("\u200dtitle\u200c", "title"),
        ("a \u200d b", "a b"),
    ],
)
def test_clean_text_drops_joiners_that_join_nothing(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "max_length", "expected"),
    [
        ("abcdef", 3, "abc"),
        ("abc def", 4, "abc"),
        ("abc", 10, "abc"),
        ("abc", None, "abc"),
        ("abc", 0, None),
        ("ab\U0001f469\u200d\U0001f4bb", 3, "ab\U0001f469"),
    ],
)
def test_clean_text_truncates(text, max_length, expected):
    assert clean_text(text, max_length) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senior ML Engineer (Remote)", "senior ml engineer remote"),
        ("senior ml engineer - remote", "senior ml engineer remote"),
        ("R&D Engineer", "r and d engineer"),
        ("Zürich", "zurich"),
        ("Straße", "strasse"),
        ("Café  Crème", "cafe creme"),
        ("ML/AI Engineer", "ml ai engineer"),
        ("snake_case_title", "snake case title"),
        ("C++ Developer", "c developer"),
        ("\uff26\uff55\uff4c\uff4c", "full"),
        ("  ", ""),
        ("", ""),
        (None, ""),
        ("Engineer II", "engineer ii"),
        ("São Paulo", "sao paulo"),
    ],
)
def test_normalize_key_gives_comparable_words(text, expected):
    assert normalize_key(text) == expected


@pytest.mark.parametrize(
    ("text", "max_length", "expected"),
    [
        ("Senior ML Engineer", 80, "senior-ml-engineer"),
        ("Zürich & Berlin", 80, "zurich-berlin"),
        ("  spaces  ", 80, "spaces"),
        ("Hello World Foo", 11, "hello-world"),
        ("Über-cool AI!", 80, "uber-cool-ai"),
        ("", 80, ""),
        ("Machine Learning", 40, "machine-learning"),
        ("北京 AI Lab", 80, "bei-jing-ai-lab"),
        ("C++ / CUDA", 80, "c-cuda"),
        ("already-a-slug", 80, "already-a-slug"),
        ("UPPER_CASE_NAME", 80, "upper-case-name"),
        ("Senior ML Engineer (Remote)", 80, "senior-ml-engineer-remote"),
        ("a" * 100, 40, "a" * 40),
        ("Ça va?", 80, "ca-va"),
        ("100% Remote", 80, "100-remote"),
        ("  --dashes--  ", 80, "dashes"),
    ],
)
def test_slugify_makes_url_safe_slugs(text, max_length, expected):
    assert slugify(text, max_length) == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Anthropic, PBC", "anthropic"),
        ("Anthropic", "anthropic"),
        ("Hugging Face, Inc.", "hugging-face"),
        ("Hugging Face Inc", "hugging-face"),
        ("DeepMind Technologies Limited", "deepmind-technologies"),
        ("Acme Pty Ltd", "acme"),
        ("Aleph Alpha GmbH", "aleph-alpha"),
        ("Mistral AI S.A.S.", "mistral-ai"),
        ("Example B.V.", "example"),
        ("Example LLC", "example"),
        ("Example plc", "example"),
        ("Sony Group Corporation", "sony-group"),
        ("Cohere Labs", "cohere-labs"),
        ("Scale AI", "scale-ai"),
        ("Inc.", "inc"),
        ("Zürich Insurance AG", "zurich-insurance"),
    ],
)
def test_company_slug_drops_legal_forms_only(name, slug):
    assert company_slug(name) == slug


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sr. ML Engineer", "Senior ML Engineer"),
        ("Jr Developer", "Junior Developer"),
        ("Data Scientist (m/w/d)", "Data Scientist"),
        ("Développeur H/F", "Developpeur"),
        ("Engineer (all genders)", "Engineer"),
        ("ML Engineer (Remote)", "ML Engineer"),
        ("ML Engineer - Fully Remote (US)", "ML Engineer"),
        ("ML Engineer, Hybrid", "ML Engineer"),
        ("Field Engineer [On-site]", "Field Engineer"),
        ("C++ Engineer", "c++ engineer"),
        ("Senior C# / .NET Developer", "Sr C#/.NET Developer"),
    ],
)
def test_title_keys_match_spellings_of_one_title(one, other):
    assert title_key(one) == title_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Senior ML Engineer", "Staff ML Engineer"),
        ("Remote Sensing Engineer", "Sensing Engineer"),
        ("I/O Engineer", "Engineer"),
        ("Senior H/W Engineer", "Senior Engineer"),
        ("Research Scientist, Remote Sensing", "Research Scientist"),
        ("Engineer - Hybrid Cloud", "Engineer"),
        ("Software Engineer - Backend", "Software Engineer"),
        # Languages whose names differ only by a symbol: two openings, not one.
        ("C++ Engineer", "C# Engineer"),
        ("C++ Engineer", "C Engineer"),
        ("Senior Engineer, C#", "Senior Engineer, C"),
        ("F# Developer", "F Developer"),
        (".NET Developer", "NET Developer"),
    ],
)
def test_title_keys_keep_different_titles_apart(one, other):
    assert title_key(one) != title_key(other)


@pytest.mark.parametrize(
    ("trailing", "leading"),
    [
        ("Software Engineer (Senior)", "Senior Software Engineer"),
        ("Software Engineer - Senior", "Senior Software Engineer"),
        ("Software Engineer, Sr.", "Senior Software Engineer"),
        ("Software Engineer \u2013 Snr", "Senior Software Engineer"),
        ("ML Engineer (Staff)", "Staff ML Engineer"),
        ("Research Engineer [Lead]", "Lead Research Engineer"),
        ("Data Scientist (Junior)", "Junior Data Scientist"),
        ("Data Scientist | Jr", "Junior Data Scientist"),
        ("Research Scientist (Principal)", "Principal Research Scientist"),
        ("ML Engineer (Senior) (Remote)", "Senior ML Engineer"),
        ("ML Engineer, Senior - Hybrid", "Senior ML Engineer"),
    ],
)
def test_a_level_after_the_title_keys_as_if_it_led(trailing, leading):
    """Boards write "Software Engineer (Senior)" for what others call "Senior Software Engineer"."""
    assert title_key(trailing) == title_key(leading)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Software Engineer (Senior)", "Staff Software Engineer"),
        ("Software Engineer (Staff)", "Software Engineer (Principal)"),
        ("Software Engineer, Junior", "Software Engineer"),
        ("Engineer (Platform)", "Platform Engineer"),
    ],
)
def test_a_level_after_the_title_keeps_levels_apart(one, other):
    assert title_key(one) != title_key(other)


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Engineer (Platform)", "engineer platform"),
        ("Engineering Team Lead", "engineering team lead"),
        ("ML Engineer, Tech Lead", "ml engineer tech lead"),
        ("Software Engineer (Senior/Staff)", "software engineer senior staff"),
    ],
)
def test_a_last_part_that_is_not_one_level_stays_where_it_is(title, key):
    assert title_key(title) == key


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("<p>Senior Engineer</p>", "Senior Engineer"),
        ("Engineer <br/>", "Engineer"),
        ("Senior ML Engineer -", "Senior ML Engineer"),
        ("Senior ML Engineer, ", "Senior ML Engineer"),
        ("Staff Engineer / ", "Staff Engineer"),
        ("| Research Scientist", "Research Scientist"),
    ],
)
def test_titles_lose_markup_and_dangling_separators(title, expected):
    """The newsletter prints the title as is: "**Senior ML Engineer - @ Acme**" read broken."""
    assert clean_title(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "C/C++ Engineer",
        "Engineer, C++",
        "Latency < 10ms > fun",
        "Robotics <Engineer>",
        "ML Engineer (Remote)",
        "R&D Lead",
    ],
)
def test_titles_keep_their_own_words_and_symbols(title):
    assert clean_title(title) == title


@pytest.mark.parametrize("title", [" " * 20_000 + "x", "(senior" + " " * 20_000 + "x"])
def test_keying_a_title_of_long_blank_runs_stays_quick(title):
    """Fingerprints are made per posting in a crawl's batch; a pasted title must not stall it."""
    started = time.perf_counter()
    title_key(title)
    assert time.perf_counter() - started < 0.2
