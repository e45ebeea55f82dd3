"""Employment type and seniority from ATS fields and titles."""

import pytest

from models.normalize import EMPLOYMENT_TYPES, SENIORITIES, parse_employment_type, parse_seniority


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Full-time", "full_time"),
        ("FULL_TIME", "full_time"),
        ("FullTime", "full_time"),
        ("full time", "full_time"),
        ("Permanent", "full_time"),
        ("Part time", "part_time"),
        ("PART_TIME", "part_time"),
        ("Part-Time", "part_time"),
        ("Contract", "contract"),
        ("Contractor", "contract"),
        ("Freelance", "contract"),
        ("Contract to hire", "contract"),
        ("Intern", "internship"),
        ("Internship", "internship"),
        ("INTERN", "internship"),
        ("Temporary", "temporary"),
        ("Temp", "temporary"),
        ("Fixed-term", "temporary"),
        ("Fixed Term Contract", "temporary"),
        ("Full-time internship", "internship"),
        ("Internship (6 months)", "internship"),
        ("Werkstudent", "part_time"),
        ("Praktikant/in Machine Learning (m/w/d)", "internship"),
        ("Praktikantin KI", "internship"),
        ("Werkstudentin Data Science (m/w/d)", "part_time"),
        ("Working Student", "part_time"),
        ("Teilzeit", "part_time"),
        ("Vollzeit", "full_time"),
        ("Befristet", "temporary"),
        ("Freiberuflich", "contract"),
    ],
)
def test_maps_spellings_to_employment_types(text, kind):
    assert parse_employment_type(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Volunteer",
        "Other",
        "PER_DIEM",
        "Full-time or Part-time",
        "Internal Tools",
        "Contract Manager",
        "NLP Engineer, Contract Intelligence",
        "Legal Counsel, Contracts Review",
    ],
)
def test_unknown_employment_type_is_none(text):
    assert parse_employment_type(text) is None


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        ((None, "Full-time"), "full_time"),
        (("", "Contract"), "contract"),
        (("Volunteer", "Part-time"), "part_time"),
        (("Full-time", "Summer Intern"), "full_time"),
        ((None, None, "ML Research Intern"), "internship"),
        ((), None),
    ],
)
def test_first_text_naming_a_type_wins(texts, kind):
    assert parse_employment_type(*texts) == kind
    assert kind is None or kind in EMPLOYMENT_TYPES


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Senior ML Engineer", "senior"),
        ("Sr. Research Scientist", "senior"),
        ("Sr Data Engineer", "senior"),
        ("Senior Product Manager", "senior"),
        ("Staff Engineer", "staff"),
        ("Senior Member of Technical Staff", "senior"),
        ("Member of Technical Staff, Staff Engineer", "staff"),
        ("Senior Staff Engineer", "staff"),
        ("Principal Scientist", "principal"),
        ("Lead ML Engineer", "lead"),
        ("Tech Lead, Inference", "lead"),
        ("Head of AI", "director"),
        ("Director of Engineering", "director"),
        ("Director of Internships", "director"),
        ("VP of Engineering", "executive"),
        ("SVP Research", "executive"),
        ("Vice President, AI", "executive"),
        ("Chief Scientist", "executive"),
        ("CTO", "executive"),
        ("CEO & Co-founder", "executive"),
        ("Engineering Manager", "manager"),
        ("Senior Engineering Manager", "manager"),
        ("Manager, Machine Learning", "manager"),
        ("ML Research Intern", "intern"),
        ("Praktikum Data Science (m/w/d)", "intern"),
        ("Praktikant/in Machine Learning", "intern"),
        ("Junior Data Scientist", "junior"),
        ("Jr. Engineer", "junior"),
        ("Graduate ML Engineer", "junior"),
        ("Entry level Analyst", "junior"),
        ("Mid-level Engineer", "mid"),
        ("Intermediate Developer", "mid"),
    ],
)
def test_reads_the_level_from_the_title(title, level):
    assert parse_seniority(title) == level


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Software Engineer (Senior)", "senior"),
        ("Software Engineer - Senior", "senior"),
        ("Software Engineer, Sr.", "senior"),
        ("Software Engineer \u2013 Snr", "senior"),
        ("ML Engineer (Staff)", "staff"),
        ("Research Engineer (Lead)", "lead"),
        ("Data Scientist (Junior)", "junior"),
        ("Data Scientist | Jnr", "junior"),
        ("Research Scientist (Principal)", "principal"),
    ],
)
def test_reads_a_level_written_after_the_title(title, level):
    assert parse_seniority(title) == level


@pytest.mark.parametrize(
    "title",
    [
        "Internal Tools Engineer",
        "International Partnerships",
        "Software Engineer II",
        "ML Engineer III",
        "Research Engineer",
        "Product Manager",
        "Program Manager",
        "Chief of Staff",
        "Member of Technical Staff",
        "Chief of Staff to the CEO",
        "Executive Assistant to the CEO",
        "Research Engineer, Office of the CTO",
        "Member of the Technical Staff, Inference",
        "Lead Generation Specialist",
        "Staff Accountant",
        "Machine Learning Engineer (Mid-Senior)",
        "Seniority Analyst",
        "Leadership Coach",
        None,
        "",
    ],
)
def test_does_not_guess_a_level(title):
    assert parse_seniority(title) is None


@pytest.mark.parametrize(
    ("title", "hint", "level"),
    [
        ("ML Engineer", "Senior", "senior"),
        ("ML Engineer", "Entry level", "junior"),
        ("ML Engineer", "Executive", "executive"),
        ("ML Engineer", "Internship", "intern"),
        ("ML Engineer", "Director", "director"),
        ("ML Engineer", "Mid-Senior level", None),
        ("ML Engineer", "Not Applicable", None),
        ("Staff ML Engineer", "Senior", "staff"),
        (None, "Junior", "junior"),
        ("ML Engineer", None, None),
    ],
)
def test_falls_back_to_the_ats_hint(title, hint, level):
    assert parse_seniority(title, hint) == level
    assert level is None or level in SENIORITIES
