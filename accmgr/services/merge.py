"""Likely duplicate clients, and merging two clients into one without losing a record.

A merge re-points every record of the other client (contacts, deals, activities, documents,
complaints, referrals, "referred by" links) to the kept one, moves its payments, red flags,
notes and tags into the kept profile, and deletes the other client record — all in one
transaction. Deleting (rather than leaving a shell marked ``merged_into``) keeps every list,
count, board and scorecard right without each of them learning to skip shells; nothing is
lost because the kept client records the merge (``merged_from`` with the other's id, names,
tax id and e-mail, and a note), and the store never hands the deleted id out again, so an old
reference cannot silently point at a different client.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accmgr.domain.client import Client, MergedClient, Note, Payment, ReliabilityProfile
from accmgr.errors import ValidationError
from accmgr.services.reliability import load_client
from accmgr.services.workspace import Workspace

# Company-form words that say nothing about which company it is.
_LEGAL_FORMS = {
    "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc", "kft",
    "lda", "limited", "llc", "ltd", "nv", "oy", "plc", "sa", "sarl", "sas", "sl", "spa",
    "sp", "z", "o", "zoo", "uab", "ou", "zrt", "nyrt", "bt", "ooo", "zao", "oao", "pao", "sro",
    "aps", "srl", "the", "and", "i", "e", "y", "unipessoal", "sgps", "sc", "group",
}  # fmt: skip
# Mailbox providers: sharing one says nothing about being the same company.
_FREE_MAIL = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
    "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de",
    "gmx.net", "web.de", "mail.ru", "yandex.ru", "yandex.com", "wp.pl", "o2.pl", "onet.pl",
    "interia.pl", "sapo.pt", "gmail.pt", "freemail.hu", "citromail.hu", "inbox.lt",
    "one.lt", "zoho.com", "mail.com",
}  # fmt: skip
SIMILARITY = 0.85


def normalise_name(name: str) -> str:
    """Lower case, no accents, no punctuation, no legal form: "Žalgiris Logistika, UAB" and
    "ZALGIRIS LOGISTIKA" are both "zalgiris logistika"."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ł", "l").replace("ø", "o").replace("ß", "ss").replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", text)
    kept = [w for w in words if w not in _LEGAL_FORMS]
    return " ".join(kept or words)


def normalise_tax_id(tax_id: str) -> str:
    """Upper case letters and digits only, without a leading two-letter country prefix."""
    text = re.sub(r"[^0-9A-Za-z]", "", tax_id).upper()
    return text[2:] if re.match(r"^[A-Z]{2}\d", text) else text


def mail_domain(address: str | None) -> str:
    if not address or "@" not in address:
        return ""
    domain = address.rsplit("@", 1)[1].strip().lower()
    return "" if domain in _FREE_MAIL else domain


def _site_domain(website: str) -> str:
    host = re.sub(r"^[a-z]+://", "", website.strip().lower()).split("/")[0]
    return host.removeprefix("www.")


@dataclass(frozen=True)
class Duplicate:
    client: Client
    reasons: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.client.id} {self.client.name!r} ({'; '.join(self.reasons)})"


def find_duplicates(
    ws: Workspace,
    name: str,
    tax_id: str = "",
    email: str | None = None,
    *,
    exclude: str | None = None,
) -> list[Duplicate]:
    """Clients that are probably the same company: similar name, same tax id, or the same
    company e-mail domain (the client's e-mail, its website, or a contact's e-mail)."""
    wanted_name = normalise_name(name)
    wanted_tax = normalise_tax_id(tax_id)
    wanted_domain = mail_domain(email)
    domains: dict[str, set[str]] = {}
    if wanted_domain:
        for doc in ws.store.all("contacts"):
            found = mail_domain(doc.get("email"))
            if found:
                domains.setdefault(str(doc["client_id"]), set()).add(found)
    found_list = []
    for client in ws.load_all("clients", Client):
        if client.id == exclude:
            continue
        reasons = []
        if wanted_tax and normalise_tax_id(client.tax_id) == wanted_tax:
            reasons.append(f"same tax id {client.tax_id}")
        names = [client.name, client.legal_name, *(m.name for m in client.merged_from)]
        for other in filter(None, names):
            theirs = normalise_name(other)
            if not theirs or not wanted_name:
                continue
            ratio = difflib.SequenceMatcher(None, wanted_name, theirs).ratio()
            if theirs == wanted_name or ratio >= SIMILARITY:
                reasons.append("same name" if theirs == wanted_name else f"similar name {other!r}")
                break
        if wanted_domain:
            theirs_domains = {mail_domain(client.email), _site_domain(client.website)}
            theirs_domains |= domains.get(client.id, set())
            if wanted_domain in theirs_domains:
                reasons.append(f"same e-mail domain {wanted_domain}")
        if reasons:
            found_list.append(Duplicate(client, tuple(reasons)))
    return sorted(found_list, key=lambda d: (-len(d.reasons), d.client.id))


@dataclass(frozen=True)
class MergeResult:
    client: Client
    moved: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{n} {table}" for table, n in self.moved.items() if n)
        return counts or "no records"


# Tables whose records belong to a client through ``client_id``.
_OWNED = ("contacts", "deals", "activities", "documents", "complaints")
# Fields the kept client takes from the other when its own is empty.
_FILL = (
    "legal_name", "tax_id", "segment", "industry", "country", "address", "website", "email",
    "phone", "lead_source", "fit_notes", "owner",
)  # fmt: skip


@dataclass(frozen=True)
class MergePreview:
    """What a merge would move, to confirm before doing it."""

    keep: Client
    other: Client
    moves: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in self.moves.items() if n)
        return counts or "no records"


def merge_preview(ws: Workspace, keep_id: str, other_id: str) -> MergePreview:
    """Count the other client's records that the merge would move to the kept one."""
    keep = ws.load("clients", Client, keep_id)
    other = ws.load("clients", Client, other_id)
    if keep.id == other.id:
        raise ValidationError("other", f"cannot merge {keep.id} into itself")
    moves = {table: len(ws.store.find(table, client_id=other.id)) for table in _OWNED}
    moves["payments"] = len(other.reliability.payments)
    moves["red flags"] = len(other.reliability.red_flags)
    moves["notes"] = len(other.notes)
    return MergePreview(keep, other, moves)


def merge_clients(
    ws: Workspace, keep_id: str, other_id: str, *, expected_revs: tuple[int, int] | None = None
) -> MergeResult:
    """Merge ``other_id`` into ``keep_id``; every record of both is kept."""
    keep_id, other_id = keep_id.strip().upper(), other_id.strip().upper()
    if keep_id == other_id:
        raise ValidationError("other", f"cannot merge {keep_id} into itself")
    now = ws.now()
    moved: dict[str, int] = {}
    with ws.store.transaction() as tx:
        keep = load_client(tx, keep_id)
        other = load_client(tx, other_id)
        if expected_revs is not None and (keep.rev, other.rev) != expected_revs:
            raise ValidationError(
                "client", "a client changed since it was read; reload both and try again"
            )
        for table in _OWNED:
            docs = tx.find(table, client_id=other.id)
            for doc in docs:
                # The raw document is re-pointed, not re-validated: a document another part
                # of accmgr is extending must come through unchanged but for its client.
                tx.update(table, doc["id"], {**doc, "client_id": keep.id}, expected_rev=doc["rev"])
            moved[table] = len(docs)
        for doc in tx.find("clients", referred_by=other.id):
            tx.update(
                "clients", doc["id"], {**doc, "referred_by": keep.id}, expected_rev=doc["rev"]
            )
        for doc in tx.find("deals"):
            referrals = doc.get("referrals") or []
            if any(r.get("client_id") == other.id for r in referrals):
                fixed = [
                    {**r, "client_id": keep.id} if r.get("client_id") == other.id else r
                    for r in referrals
                ]
                tx.update("deals", doc["id"], {**doc, "referrals": fixed}, expected_rev=doc["rev"])
        merged = _combined(keep, other, now, moved)
        stored = tx.update("clients", keep.id, merged.to_dict(), expected_rev=keep.rev)
        tx.delete("clients", other.id, expected_rev=other.rev)
    return MergeResult(Client.from_dict(stored), moved)


def _combined(keep: Client, other: Client, now: datetime, moved: dict[str, int]) -> Client:
    changes: dict[str, Any] = {}
    for name in _FILL:
        if not getattr(keep, name) and getattr(other, name):
            changes[name] = getattr(other, name)
    if keep.tier.value != "key" and other.tier.value == "key":
        changes["tier"] = other.tier
    changes["tags"] = tuple(dict.fromkeys((*keep.tags, *other.tags)))
    if keep.referred_by is None and other.referred_by not in (None, keep.id):
        changes["referred_by"] = other.referred_by
    if keep.account_plan is None and other.account_plan is not None:
        changes["account_plan"] = other.account_plan
    mine, theirs = keep.reliability, other.reliability
    profile: dict[str, Any] = {
        "payments": (*mine.payments, *_renamed_invoices(mine, theirs, other.id)),
        "red_flags": (*mine.red_flags, *theirs.red_flags),
    }
    # The fresher review wins, with its rating and reviewer; missing indicators are filled.
    if theirs.reviewed_on is not None and (
        mine.reviewed_on is None or theirs.reviewed_on > mine.reviewed_on
    ):
        profile.update(
            rating=theirs.rating, reviewed_on=theirs.reviewed_on, reviewer=theirs.reviewer
        )
    for name in ("years_in_business", "revenue_band", "credit_limit", "payment_terms_days"):
        if getattr(mine, name) is None and getattr(theirs, name) is not None:
            profile[name] = getattr(theirs, name)
    changes["reliability"] = mine.evolve(**profile)
    summary = ", ".join(f"{n} {table}" for table, n in moved.items() if n) or "no other records"
    note = Note(
        at=now,
        text=f"Merged {other.id} {other.name!r} (tax id {other.tax_id or '—'}, "
        f"e-mail {other.email or '—'}) into this client: {summary}.",
    )
    changes["notes"] = tuple(sorted((*keep.notes, *other.notes, note), key=lambda n: n.at))
    record = MergedClient(
        id=other.id,
        name=other.name,
        legal_name=other.legal_name,
        tax_id=other.tax_id,
        email=other.email or "",
        merged_at=now,
    )
    changes["merged_from"] = (*keep.merged_from, *other.merged_from, record)
    return keep.evolve(**changes)


def _renamed_invoices(
    mine: ReliabilityProfile, theirs: ReliabilityProfile, other_id: str
) -> list[Payment]:
    # Invoice numbers are unique per client; one that clashes keeps its origin in its name.
    taken = {p.invoice.casefold() for p in mine.payments}
    return [
        p if p.invoice.casefold() not in taken else p.evolve(invoice=f"{p.invoice} ({other_id})")
        for p in theirs.payments
    ]
