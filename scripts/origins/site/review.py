"""schema.org ClaimReview for the disputes page: each disputed claim of the claimant whose claims the
site corrects (x-site.corrected.claimant in datapackage.json, the seed post), as structured data a
search engine reads (https://developers.google.com/search/docs/appearance/structured-data/factcheck).

Everything comes from the build: the claim's statement, date and citations, the claimant's name,
the descriptor's contributors and day. The JSON is written into a <script type="application/ld+json">,
where the HTML parser ends the element at the first `</script`, whatever JSON quoting says: so
every `<`, `>` and `&` is written as a JSON escape (`\\u003c`, ...), which JSON parsers read back as
the same character and no HTML parser can take for markup.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from origins.release.citation import authors, release_date
from origins.site.format import safe_url

RATINGS = {1: "False", 2: "Mostly false"}  # schema.org ratingValue -> alternateName, on a 1 (worst) to 5 scale
BACKING = ("supports", "supports-in-part")  # stances that bear a claim out, in whole or in part
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def rating(claim: dict, cites: list[dict], sources: dict[str, dict]) -> int:
    """1 (False) when no citation bears the disputed claim out even in part, 2 (Mostly false) when
    one does. Citations count as the grading rubric counts them (origins.read.evidence.counted):
    not an excluded source, and not the claimant's own document (that only shows it was said)."""
    for c in cites:
        src = sources.get(c["source_id"], {})
        own = src.get("party") and src.get("party") == claim["claimant"]
        if c.get("stance") in BACKING and src.get("tier") != "excluded" and not own:
            return 2
    return 1


def _made_on(claim: dict) -> str | None:
    """The claim's date as schema.org takes it: its day when made_on is one, else its earliest day."""
    if DAY.fullmatch(claim["made_on"]):
        return claim["made_on"]
    return claim["made_on_earliest"].isoformat() if claim.get("made_on_earliest") else None


def _url(claim_id: str, home: str | None, page: str = "disputes.html") -> str:
    """The review's address: absolute under the descriptor's homepage, else relative to the page
    (a static site opened from disk or any host has no other address to give)."""
    at = f"{page}#{claim_id}"
    return f"{home.rstrip('/')}/{at}" if home else at


def claim_reviews(ctx: dict, descriptor: dict, page_of=lambda claim_id: "disputes.html") -> list[dict]:
    """A ClaimReview for each disputed claim of the corrected claimant, in the page's order; its
    address is on the page `page_of` gives (a later page of the disputes, past PAGE entries)."""
    claimant = ((ctx.get("site") or {}).get("corrected") or {}).get("claimant")
    if not claimant:
        return []
    sources = {s["id"]: s for s in ctx["sources"]}
    home = safe_url(descriptor.get("homepage"))
    names = [{"@type": "Organization", "name": a} for a in authors(descriptor)]
    out = []
    for c in ctx["claims"]:
        if c["claimant"] != claimant or c["status"] != "disputed":
            continue
        cites = ctx["cites_of"].get(c["id"], [])
        stated = [safe_url(sources.get(x["source_id"], {}).get("url")) for x in cites if x.get("stance") == "states"]
        item = {"@type": "Claim", "author": {"@type": "Person", "name": ctx["names"].get(claimant, claimant)}}
        if made := _made_on(c):
            item["datePublished"] = made
        if appearance := next((u for u in stated if u), None):
            item["appearance"] = appearance
        value = rating(c, cites, sources)
        out.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": _url(c["id"], home, page_of(c["id"])),
                "claimReviewed": c["statement"],
                "datePublished": release_date(descriptor),
                "author": names[0] if len(names) == 1 else names,
                "itemReviewed": item,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": value,
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": RATINGS[value],
                },
            }
        )
    return out


def json_ld(value) -> Markup:
    """JSON for a <script type="application/ld+json">, that cannot end the element or open markup."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028")):
        text = text.replace(char, escaped)
    return Markup(text.replace("\u2029", "\\u2029"))
