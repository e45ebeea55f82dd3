"""Employment type and seniority read from ATS fields and titles."""

import re

EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "internship", "temporary")
SENIORITIES = (
    "intern",
    "junior",
    "mid",
    "senior",
    "staff",
    "principal",
    "lead",
    "manager",
    "director",
    "executive",
)

# Checked most specific first: a "full-time internship" is an internship.
_EMPLOYMENT_PATTERNS = (
    ("internship", r"\bintern(?:ship)?s?\b|\bco[\s-]?op\b|\bpraktik(?:um|ant|antin)\b"),
    ("temporary", r"\btemp(?:orary)?\b|\bfixed[\s-]?term\b|\bseasonal\b|\bbefristet\b"),
    ("contract", r"\bcontract(?:or|ors|ing)?\b|\bfreelan(?:ce|cer)\b|\bfreiberuflich\b"),
    # A Werkstudent (working student) works part-time beside their studies.
    ("part_time", r"\bpart[\s-]?time\b|\bteilzeit\b|\bwerkstudent(?:in)?\b|\bworking\s+student\b"),
    ("full_time", r"\bfull[\s-]?time\b|\bpermanent\b|\bregular\b|\bvollzeit\b"),
)
_EMPLOYMENT = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _EMPLOYMENT_PATTERNS
)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Work about contracts, not on one: "Contract Manager", "NLP Engineer, Contract Intelligence".
_NOT_A_TYPE = re.compile(
    r"\bcontracts?\s+(?:manager|management|analyst|specialist|administrat\w*|intelligence"
    r"|negotiat\w*|counsel|lawyer|attorney|law|review\w*|lifecycle|operations|compliance)\b",
    re.IGNORECASE,
)

# Job families whose "Manager" is an individual contributor, not a people manager.
_IC_MANAGER = (
    r"product|program|programme|project|account|accounts|relationship|community|content|brand"
    r"|campaign|partner|partnerships|marketing|success|release|sales|office"
)
# Checked highest level first: a "Senior Engineering Manager" is a manager.
_SENIORITY_PATTERNS = (
    (
        "executive",
        r"\bchief\b|\bc[etipo]o\b|\bcfo\b|\bcso\b|\b[se]?vp\b|\bvice[\s-]+president\b|\bpresident\b",
    ),
    ("director", r"\bdirector\b|\bhead\s+of\b|\bhead,"),
    ("manager", r"\bmanager\b"),
    (
        "intern",
        r"\bintern(?:ship)?s?\b|\bco[\s-]?op\b|\bworking\s+student\b|\bwerkstudent\b"
        r"|\bpraktik(?:um|ant|antin)\b",
    ),
    ("principal", r"\bprincipal\b"),
    ("staff", r"\bstaff\b"),
    ("lead", r"\blead\b|\bteam\s+leader\b"),
    ("senior", r"\bsenior\b|\bsn?r\b\.?"),
    ("mid", r"\bmid(?:dle)?(?:[\s-]?level)?\b|\bintermediate\b"),
    ("junior", r"\bjunior\b|\bjn?r\b\.?|\bgraduate\b|\bnew[\s-]+grad\b|\bentry[\s-]?level\b"),
)
_SENIORITY = tuple(
    (level, re.compile(pattern, re.IGNORECASE)) for level, pattern in _SENIORITY_PATTERNS
)
# Phrases that look like a level but are not one ("Chief of Staff", LinkedIn's "Mid-Senior level",
# "Member of Technical Staff": OpenAI's and Anthropic's title for every level, "Lead Generation").
_NOT_A_LEVEL = re.compile(
    rf"\bchief\s+of\s+staff\b|\bmid[\s-]+senior(?:\s+level)?\b|\bstaff\s+(?:accountant|nurse)\b|\b(?:{_IC_MANAGER})\s+manager\b"
    r"|\bmember\s+of\s+(?:the\s+)?technical\s+staff\b|\blead[\s-]+gen(?:eration)?\b"
    # Whom the job works for, not its level: "Assistant to the CEO", "Office of the CTO".
    r"|\b(?:to|of|for)\s+(?:the\s+|our\s+)?(?:c[etipof]o|[se]?vp|president|founders?)\b",
    re.IGNORECASE,
)
_HINT_ONLY = {
    "executive": "executive",
    "entry": "junior",
    "internship": "intern",
    "experienced": None,
}


def _words(text: str) -> str:
    """Spell an enum-like value as words: "FULL_TIME" and "FullTime" both read "Full time"."""
    return _CAMEL_BOUNDARY.sub(" ", text).replace("_", " ")


def parse_employment_type(*texts: str | None) -> str | None:
    """Read the employment type from the first text that names exactly one."""
    for text in texts:
        if not isinstance(text, str):
            continue
        words = _NOT_A_TYPE.sub(" ", _words(text))
        found = [kind for kind, pattern in _EMPLOYMENT if pattern.search(words)]
        if "full_time" in found and "part_time" in found:
            continue
        if found:
            return found[0]
    return None


def _level_in(text: str | None) -> str | None:
    """The highest level a title names, or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    words = _NOT_A_LEVEL.sub(" ", _words(text))
    return next((level for level, pattern in _SENIORITY if pattern.search(words)), None)


def parse_seniority(title: str | None, hint: str | None = None) -> str | None:
    """Read the level from the title, else from the ATS hint; numerals like "II" are not guessed."""
    level = _level_in(title) or _level_in(hint)
    if level is None and isinstance(hint, str):
        level = _HINT_ONLY.get(hint.strip().lower().split(" ")[0])
    return level
