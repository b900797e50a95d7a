"""What screening asks of other modules — the recruiter registry and the person index —
read-only, through their service functions, and cached for a run so that a batch of a
million travellers asks about each recruiter and each document once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from lindungi.identity import signals as identity_signals
from lindungi.identity.signals import Code
from lindungi.recruiters.messages import INDIVIDUAL_AGENT
from lindungi.recruiters.standing import (
    Standing,
    StandingMemo,
    recruiter_standing,
    recruiters_by_social,
)
from lindungi.screening.case import RegistryCheck
from lindungi.screening.offer_text import OfferFacts
from lindungi.screening.schemas import ScreeningIn

#: Signals from the person index that screening weighs (sex is never compared: a NIK's
#: encoded sex disagreeing with a record is left to the identity pages, not the score).
IDENTITY_SIGNALS: tuple[Code, ...] = ("nik_shared", "passports", "refused_elsewhere")
#: Answers kept per run before the cache starts again (memory stays flat over millions).
CACHE_LIMIT = 100_000


def _check(standing: Standing, asked: str, *, named: bool, public: bool) -> RegistryCheck:
    return RegistryCheck(
        asked=asked,
        verdict=standing.verdict,
        names=tuple(
            dict.fromkeys(
                f"{INDIVIDUAL_AGENT if public and m.kind == 'agent' else m.name} "
                f"({'licensed' if m.status == 'active' else m.status})"
                for m in standing.matches
            )
        ),
        named=named,
        individual=any(m.kind == "agent" and m.status == "unlicensed" for m in standing.matches),
        fronts=tuple(dict.fromkeys(f.explanation for f in standing.findings)),
    )


@dataclass
class Lookups:
    """Registry and person-index answers for one run (a request, or a whole batch)."""

    session: Session
    today: dt.date
    public: bool = False  # answers for the public never name an individual agent
    cache_limit: int = CACHE_LIMIT
    #: A batch reads the registry once into memory; a desk request asks for what it needs.
    batch: bool = False
    _standings: dict[tuple[str, str, str], Standing] = field(default_factory=dict)
    _socials: dict[str, Standing | None] = field(default_factory=dict)
    _documents: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(default_factory=dict)
    _memo: StandingMemo | None = None

    def __post_init__(self) -> None:
        if self.batch:
            self._memo = StandingMemo()

    def _standing(self, name: str | None, licence_no: str | None, phone: str | None) -> Standing:
        key = (name or "", licence_no or "", phone or "")
        if key not in self._standings:
            if len(self._standings) >= self.cache_limit:  # a run of millions stays bounded
                self._standings.clear()
                self._memo = StandingMemo() if self.batch else None
            self._standings[key] = recruiter_standing(
                self.session, name=name, licence_no=licence_no, phone=phone, today=self.today,
                memo=self._memo,
            )  # fmt: skip
        return self._standings[key]

    def _social(self, handle: str) -> Standing | None:
        if handle not in self._socials:
            names = recruiters_by_social(self.session, handle)
            self._socials[handle] = (
                self._merge([self._standing(n, None, None) for n in names]) if names else None
            )
        return self._socials[handle]

    @staticmethod
    def _merge(standings: list[Standing]) -> Standing:
        worst = ("revoked", "suspended", "expired", "licensed", "unknown")
        verdict = min((s.verdict for s in standings), key=worst.index)
        return Standing(
            verdict,
            tuple(m for s in standings for m in s.matches),
            (),
            tuple(f for s in standings for f in s.findings),
        )

    def registry(self, request: ScreeningIn, offer: OfferFacts | None) -> tuple[RegistryCheck, ...]:
        """The named recruiter's standing, then that of contacts in the offer text that the
        registry knows (an unknown phone in a post is no evidence by itself)."""
        checks = []
        recruiter = request.recruiter
        if recruiter is not None and (recruiter.name or recruiter.licence_no or recruiter.phone):
            checks += self._named(recruiter.name, recruiter.licence_no, recruiter.phone)
        if offer is not None:
            for phone in offer.phones:
                standing = self._standing(None, None, phone)
                if standing.matches:
                    checks.append(
                        _check(
                            standing, f"phone {phone} in the offer", named=False, public=self.public
                        )
                    )
            for handle in offer.handles:
                found = self._social(handle)
                if found is not None:
                    checks.append(
                        _check(
                            found, f"contact {handle} in the offer", named=False, public=self.public
                        )
                    )
        return tuple(checks)

    def _named(
        self, name: str | None, licence_no: str | None, phone: str | None
    ) -> list[RegistryCheck]:
        """The recruiter as named (by name or licence), and the phone given for it when that
        phone belongs to someone else: a company sharing its own phone with a sanctioned
        one is a front (the registry's findings say so), not itself sanctioned; a phone of
        a sanctioned company given under another company's name is an impersonation."""
        label = " / ".join(v for v in (name, licence_no, phone) if v)
        by_name = self._standing(name, licence_no, None) if (name or licence_no) else None
        if by_name is None or not by_name.matches:
            standing = self._standing(name, licence_no, phone)
            return [_check(standing, f"recruiter {label!r}", named=True, public=self.public)]
        checks = [_check(by_name, f"recruiter {label!r}", named=True, public=self.public)]
        if phone:
            by_phone = self._standing(None, None, phone)
            named_ids = {m.recruiter_id for m in by_name.matches}
            others = [m for m in by_phone.matches if m.recruiter_id not in named_ids]
            if others and not any(m.recruiter_id in named_ids for m in by_phone.matches):
                found = Standing(by_phone.verdict, tuple(others), (), by_phone.findings)
                checks.append(
                    _check(found, f"phone {phone} given for {name or licence_no}",
                           named=False, public=self.public)
                )  # fmt: skip
        return checks

    def prefetch(self, requests: Iterable[ScreeningIn]) -> None:
        """Ask the person index about every document of a batch in one go."""
        wanted = []
        for request in requests:
            for key in _documents(request):
                if key not in self._documents:
                    wanted.append(key)
        if not wanted:
            return
        if len(self._documents) + len(wanted) > self.cache_limit:
            self._documents.clear()  # documents seldom repeat; keep only the current chunk
        found = identity_signals.signals_by_document(self.session, wanted, IDENTITY_SIGNALS)
        for key in wanted:
            self._documents[key] = tuple(
                (s.code, s.message_en) for s in found.get(key, []) if s.code in IDENTITY_SIGNALS
            )

    def identity(self, request: ScreeningIn) -> tuple[tuple[str, str], ...]:
        """Signals from the person index about the traveller's NIK and passport."""
        self.prefetch([request])
        seen: dict[tuple[str, str], None] = {}
        for key in _documents(request):
            for signal in self._documents.get(key, ()):
                seen.setdefault(signal)
        return tuple(seen)


def _documents(request: ScreeningIn) -> list[tuple[str, str]]:
    person = request.person
    found = []
    if person.nik:
        found.append(("nik", person.nik))
    if person.passport_no:
        found.append(("passport", person.passport_no))
    return found
