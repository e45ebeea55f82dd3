"""What an ingest did, per posting and in total, for crawl runs, the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    external_id: str
    job_id: int
    action: str  # "created" | "updated" | "unchanged"


@dataclass
class IngestCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    unkeyed: int = 0  # rejected postings with no key: their listings cannot be told seen
    rejections: list[tuple[str, str]] = field(default_factory=list)  # (posting label, reason)
    # Postings stored without optional fields that could not be read: (posting label, reason).
    warnings: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, external_id: str, job_id: int, action: str) -> None:
        setattr(self, action, getattr(self, action) + 1)
        self.outcomes.append(Outcome(external_id, job_id, action))

    def reject(self, label: str, reason: str, *, keyed: bool = True) -> None:
        self.rejected += 1
        self.unkeyed += not keyed
        self.rejections.append((label, reason))

    def warn(self, label: str, reason: str) -> None:
        self.warnings.append((label, reason))

    def notes(self) -> list[str]:
        """One line per rejected posting, then one per posting stored without unreadable fields."""
        return [f"rejected {label}: {reason}" for label, reason in self.rejections] + [
            f"stored {label} without what could not be read: {reason}"
            for label, reason in self.warnings
        ]

    @property
    def seen(self) -> int:
        return self.created + self.updated + self.unchanged

    def merge(self, other: IngestCounts) -> None:
        """Fold another batch's counts in (the crawl pipeline ingests in several calls)."""
        for name in ("created", "updated", "unchanged", "rejected", "unkeyed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejections.extend(other.rejections)
        self.warnings.extend(other.warnings)
        self.outcomes.extend(other.outcomes)
