"""E-mail matching keys: validated, lower-cased, with the spellings that reach one mailbox folded.

Syntax and domain rules are email-validator's (no DNS look-up). The key is the lower-cased local
part and the ASCII (IDNA) domain, so ``jean@exämple.fr`` and ``jean@xn--exmple-cua.fr`` are one
key. A ``+tag`` is dropped for every domain (most providers deliver ``jean+shop@`` to ``jean@``)
and Gmail ignores dots in the local part and answers at googlemail.com too.

email-validator checks an address in about 40 µs. Most addresses are plain ASCII, and for those
a regular expression that accepts only what email-validator accepts answers in about 1 µs; the
tests check that both give the same key on every address the fast path takes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from hub.identity.normalisers.folding import fold_text
from hub.identity.normalisers.placeholders import is_filler, is_placeholder
from hub.identity.normalisers.unusable import Unusable, invalid, placeholder

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})

# Local parts that say "I have no address" in the hub's languages, separators removed.
PLACEHOLDER_LOCAL_PARTS = frozenset(
    {
        "noemail",
        "nomail",
        "noaddress",
        "noadress",
        "noreply",
        "donotreply",
        "none",
        "aucun",
        "aucunemail",
        "pas",
        "pasdemail",
        "pasdemel",
        "pasdadresse",
        "sansemail",
        "sansmail",
        "nepasrepondre",
        "keinemail",
        "keinemailadresse",
        "sinemail",
        "sincorreo",
        "nessunaemail",
        "nomemail",
    }
)
# Domains made up to fill the field (their first label); example.* is not one: the hub's own
# fixtures and documentation use it.
PLACEHOLDER_DOMAIN_LABELS = frozenset(
    {"test", "noemail", "nomail", "none", "aucun", "fake", "pasdemail", "sansemail", "xxx"}
)

# A subset of what email-validator accepts: dot-atom ASCII local part, LDH labels, an
# alphabetic top-level domain. Lengths, "--" and special-use names are checked beside it.
_PLAIN_ADDRESS = re.compile(
    r"(?P<local>[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*)"
    r"@(?P<domain>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})"
)
_SPECIAL_USE = frozenset(SPECIAL_USE_DOMAIN_NAMES)
_MAX_ADDRESS, _MAX_LOCAL, _MAX_DOMAIN = 254, 64, 253
_SEPARATORS = re.compile(r"[._-]+")


def _plain_parts(value: str) -> tuple[str, str] | None:
    """Local part and domain of an address email-validator is sure to accept, else ``None``."""
    if not value.isascii() or len(value) > _MAX_ADDRESS:
        return None
    match = _PLAIN_ADDRESS.fullmatch(value.lower())
    if match is None:
        return None
    local, domain = match["local"], match["domain"]
    if len(local) > _MAX_LOCAL or len(domain) > _MAX_DOMAIN or "--" in domain:
        return None
    if _is_special_use(domain):
        return None
    return local, domain


def _is_special_use(domain: str) -> bool:
    """Whether ``domain`` is a special-use name or under one (``x.test``), as email-validator
    checks: each of its suffixes looked up in the set."""
    labels = domain.split(".")
    return any(".".join(labels[i:]) in _SPECIAL_USE for i in range(len(labels)))


def _validated_parts(value: str) -> tuple[str, str] | Unusable:
    plain = _plain_parts(value)
    if plain is not None:
        return plain
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        return invalid(f"not an e-mail address: {error}")
    return checked.local_part.lower(), checked.ascii_domain.lower()


def _placeholder_reason(value: str) -> str | None:
    local, at, domain = value.rpartition("@")
    if not at:
        folded = fold_text(value)
        return "a placeholder, not an address" if is_placeholder(folded) or not folded else None
    bare = _SEPARATORS.sub("", local.lower().split("+", 1)[0])
    if bare in PLACEHOLDER_LOCAL_PARTS or is_placeholder(bare):
        return "a placeholder address (the part before the @ means none)"
    label = domain.lower().split(".", 1)[0]
    if label in PLACEHOLDER_DOMAIN_LABELS or is_filler(label):
        return "a placeholder address (made-up domain)"
    if bare and bare == label and len(bare) <= 3:
        return "a placeholder address (the same letters either side of the @)"
    return None


def _key(local: str, domain: str) -> str:
    local = local.split("+", 1)[0] or local  # a local part that is only a tag stays whole
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


@lru_cache(maxsize=1 << 18)  # a person's records repeat it far apart in a base
def email_key(raw: str) -> str | Unusable | None:
    """The matching key of an e-mail address, why it has none, or ``None`` for a blank value."""
    value = raw.strip()
    if not value:
        return None
    reason = _placeholder_reason(value)
    if reason is not None:
        return placeholder(reason)
    parts = _validated_parts(value)
    if isinstance(parts, Unusable):
        return parts
    return _key(*parts)
